// Demo-mode only: drive the simulated devices. Pick a synthetic resident and how they identify
// (ID card, social-security card, e-ID code held up to the camera); show the camera an
// e-licence or a garbled code; pull any device's cable; run the printers out of paper.
// The panel is built when opened and scrolls when the screen is short.
import QtQuick

Column {
    id: dock
    objectName: "devDock"
    property real u: 1
    property bool open: false
    property real maxHeight: 99999  // the panel scrolls beyond this
    property var unplugged: ({})
    spacing: 8 * u
    width: open ? 480 * u : 120 * u

    component DockButton: KButton {
        u: dock.u
        implicitHeightMin: 0
        implicitHeight: 58 * dock.u
        implicitWidth: 145 * dock.u
        font.pixelSize: 22 * dock.u
        primary: false
        tone: "#7a3fd1"
    }
    component DockTitle: Text { font.pixelSize: 24 * dock.u; color: "#4b2390"; font.bold: true }

    KButton {
        objectName: "devDockToggle"
        u: dock.u
        anchors.right: parent.right
        tone: "#7a3fd1"
        text: dock.open ? "收起" : "演示"
        implicitHeightMin: 0
        implicitHeight: 80 * dock.u
        implicitWidth: 120 * dock.u
        font.pixelSize: 28 * dock.u
        onClicked: dock.open = !dock.open
    }
    Loader {
        active: dock.open
        sourceComponent: Rectangle {
            width: dock.width
            height: Math.min(inner.implicitHeight + 30 * dock.u, dock.maxHeight - 100 * dock.u)
            radius: 12 * dock.u
            color: "#f1eafd"
            border.color: "#7a3fd1"
            border.width: 2
            clip: true
            Flickable {
                anchors { fill: parent; margins: 15 * dock.u }
                contentHeight: inner.implicitHeight
                boundsBehavior: Flickable.StopAtBounds
                Column {
                    id: inner
                    width: parent.width
                    spacing: 8 * dock.u
                    DockTitle { text: "模拟居民：身份证 / 社保卡 / 电子身份证码" }
                    Repeater {
                        model: simulators.demoResidents
                        delegate: Column {
                            spacing: 4 * dock.u
                            Text { text: modelData.label; font.pixelSize: 21 * dock.u; color: "#2d1460" }
                            Row {
                                spacing: 6 * dock.u
                                DockButton { objectName: "dev_card_" + modelData.key; text: "身份证"; onClicked: simulators.devInsertCard(modelData.key) }
                                DockButton { objectName: "dev_ss_card_" + modelData.key; text: "社保卡"; onClicked: simulators.devInsertSsCard(modelData.key) }
                                DockButton { objectName: "dev_e_id_" + modelData.key; text: "电子证码"; onClicked: simulators.devShowEId(modelData.key) }
                            }
                        }
                    }
                    Flow {
                        width: inner.width
                        spacing: 6 * dock.u
                        DockButton { objectName: "dev_remove_card"; implicitWidth: 222 * dock.u; primary: true; text: "取走身份证"; onClicked: simulators.devRemoveCard() }
                        DockButton { objectName: "dev_remove_ss_card"; implicitWidth: 222 * dock.u; primary: true; text: "拔出社保卡"; onClicked: simulators.devRemoveSsCard() }
                        DockButton { objectName: "dev_damaged_card"; implicitWidth: 222 * dock.u; primary: true; text: "放一张损坏的卡"; onClicked: simulators.devDamagedCard() }
                    }
                    DockTitle { width: inner.width; wrapMode: Text.Wrap; text: "工作人员卡（先放卡，再长按左上角的服务中心名称3秒）" }
                    Flow {
                        width: inner.width
                        spacing: 6 * dock.u
                        DockButton { objectName: "dev_staff_card"; implicitWidth: 222 * dock.u; text: "李娜（窗口）"; onClicked: admin.devInsertStaffCard("ZC-07") }
                        DockButton { objectName: "dev_tech_card"; implicitWidth: 222 * dock.u; text: "赵工（运维）"; onClicked: admin.devInsertStaffCard("TECH-01") }
                        DockButton { objectName: "dev_remove_staff_card"; implicitWidth: 222 * dock.u; primary: true; text: "取走工作人员卡"; onClicked: admin.devInsertStaffCard("") }
                    }
                    DockTitle { text: "摄像头前" }
                    Flow {
                        width: inner.width
                        spacing: 6 * dock.u
                        DockButton { objectName: "dev_qr_e_licence"; implicitWidth: 222 * dock.u; text: "电子营业执照码"; onClicked: simulators.devShowQr("e_licence") }
                        DockButton { objectName: "dev_qr_garbled"; implicitWidth: 222 * dock.u; text: "无法识别的码"; onClicked: simulators.devShowQr("garbled") }
                        DockButton { objectName: "dev_scene_document"; implicitWidth: 222 * dock.u; text: "一页材料"; onClicked: simulators.devShowQr("document") }
                        DockButton { objectName: "dev_scene_face"; implicitWidth: 222 * dock.u; text: "一张人脸"; onClicked: simulators.devShowQr("face") }
                        DockButton { objectName: "dev_qr_clear"; implicitWidth: 222 * dock.u; text: "拿开"; onClicked: simulators.devShowQr("") }
                    }
                    DockTitle { text: "人脸核验时摄像头前" }
                    Flow {
                        id: faceScenes
                        property string chosen: "holder"
                        width: inner.width
                        spacing: 6 * dock.u
                        Repeater {
                            model: [["holder", "本人眨眼转头"], ["photo", "举着本人照片"], ["nobody", "没有人"], ["other", "换了一个人"]]
                            delegate: DockButton {
                                objectName: "dev_face_" + modelData[0]
                                primary: faceScenes.chosen === modelData[0]
                                text: modelData[1]
                                implicitWidth: 222 * dock.u
                                onClicked: { faceScenes.chosen = modelData[0]; simulators.devFaceScene(modelData[0]) }
                            }
                        }
                    }
                    DockTitle { text: "拔掉设备（再点一次插回）" }
                    Flow {
                        width: inner.width
                        spacing: 6 * dock.u
                        Repeater {
                            model: [["id_card", "身份证读卡器"], ["ss_card", "社保卡读卡器"], ["camera", "摄像头"],
                                    ["receipt", "回执打印机"], ["a4", "A4打印机"]]
                            delegate: DockButton {
                                objectName: "dev_plug_" + modelData[0]
                                primary: dock.unplugged[modelData[0]] === true
                                text: (dock.unplugged[modelData[0]] === true ? "插回" : "拔掉") + modelData[1]
                                implicitWidth: 222 * dock.u
                                onClicked: {
                                    var gone = dock.unplugged[modelData[0]] !== true
                                    var next = Object.assign({}, dock.unplugged)
                                    next[modelData[0]] = gone
                                    dock.unplugged = next
                                    simulators.devPlug(modelData[0], !gone)
                                }
                            }
                        }
                    }
                    DockTitle { text: "模拟打印机" }
                    Row {
                        spacing: 6 * dock.u
                        DockButton { objectName: "dev_receipt_no_paper"; text: "回执缺纸"; onClicked: simulators.devReceiptPrinter("no_paper") }
                        DockButton { objectName: "dev_a4_no_paper"; text: "A4缺纸"; onClicked: simulators.devDocumentPrinter("no_paper") }
                        DockButton {
                            objectName: "dev_printers_ok"
                            text: "恢复正常"
                            onClicked: { simulators.devReceiptPrinter("online"); simulators.devDocumentPrinter("idle") }
                        }
                    }
                }
            }
        }
    }
}
