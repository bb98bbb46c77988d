// The address picker: the township (乡镇、街道), then the village (村、社区) of the terminal's
// own county, then the house number on the number pad. Nothing to spell, and the address is
// written the way a licence prints it.
import QtQuick
import QtQuick.Controls.Basic
import ".."

ScreenFrame {
    id: screen
    readonly property var c: capture
    property string township: ""
    property string village: ""
    readonly property var villages: {
        for (var i = 0; i < capture.townships.length; i++)
            if (capture.townships[i].name === township) return capture.townships[i].villages
        return []
    }
    title: "选择地址：" + (c.label || "")
    subtitle: controller.itemName

    WrappedText {
        objectName: "addressPreview"
        available: parent ? parent.width : 0
        text: capture.divisionName + (screen.township || "□□镇（街道）") + (screen.village || "□□村（社区）")
              + (houseField.text !== "" ? houseField.text + "号" : "□□号")
        font.pixelSize: 40 * screen.u
        font.bold: true
        color: Theme.title
    }
    WrappedText {
        visible: controller.notice !== ""
        available: parent ? parent.width : 0
        text: controller.notice
        font.pixelSize: 32 * screen.u
        color: Theme.bad
    }

    Text { text: "第一步：乡镇（街道）"; font.pixelSize: 36 * screen.u; font.bold: true; color: Theme.ink }
    Flow {
        width: parent ? parent.width : 0
        spacing: 16 * screen.u
        Repeater {
            model: capture.townships
            delegate: KButton {
                required property var modelData
                objectName: "township_" + modelData.name
                u: screen.u
                implicitHeight: 96 * screen.u
                minWidth: 220 * screen.u
                primary: screen.township === modelData.name
                text: modelData.name
                onClicked: { screen.township = modelData.name; screen.village = "" }
            }
        }
    }

    Text {
        visible: screen.township !== ""
        text: "第二步：村（社区）"; font.pixelSize: 36 * screen.u; font.bold: true; color: Theme.ink
    }
    Flow {
        visible: screen.township !== ""
        width: parent ? parent.width : 0
        spacing: 16 * screen.u
        Repeater {
            model: screen.villages
            delegate: KButton {
                required property string modelData
                objectName: "village_" + modelData
                u: screen.u
                implicitHeight: 96 * screen.u
                minWidth: 220 * screen.u
                primary: screen.village === modelData
                text: modelData
                onClicked: { screen.village = modelData; houseField.forceActiveFocus() }
            }
        }
    }

    Text {
        visible: screen.village !== ""
        text: "第三步：门牌号"; font.pixelSize: 36 * screen.u; font.bold: true; color: Theme.ink
    }
    TextField {
        id: houseField
        objectName: "address_house"
        visible: screen.village !== ""
        width: Math.min(parent ? parent.width : 0, 500 * screen.u)
        height: 100 * screen.u
        leftPadding: 20 * screen.u
        font.pixelSize: 38 * screen.u
        maximumLength: 8
        inputMethodHints: Qt.ImhDigitsOnly
        validator: RegularExpressionValidator { regularExpression: /[0-9]{0,6}(-[0-9]{0,4})?/ }
        background: Rectangle {
            radius: 10 * screen.u
            color: "white"
            border.width: parent.activeFocus ? 4 * screen.u : 2 * screen.u
            border.color: parent.activeFocus ? Theme.primary : Theme.muted
        }
    }
    WrappedText {
        available: parent ? parent.width : 0
        text: "村里没有门牌号、或者列表里找不到您的村，请点“取消”，在上一页直接输入地址。"
        font.pixelSize: 28 * screen.u
        color: Theme.muted
    }

    buttons: [
        KButton { objectName: "cancelAddressButton"; u: screen.u; primary: false; text: "取消"; onClicked: capture.cancelCapture() },
        KButton {
            objectName: "useAddressButton"; u: screen.u; text: "确定"
            enabled: screen.village !== "" && houseField.text !== ""
            onClicked: capture.useAddress(screen.township, screen.village, houseField.text)
        }
    ]
}
