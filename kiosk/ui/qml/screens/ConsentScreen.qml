// 人证核验: before the camera compares the resident's face with the card photo, they are told what
// is compared, that the images are deleted straight after, and what they can do instead.
import QtQuick
import ".."

ScreenFrame {
    id: screen
    title: "人脸核验"
    subtitle: controller.itemName

    Repeater {
        model: identity.typedIdentity ? [
            "为确认是您本人办理，需要用摄像头拍摄您的面部，与户籍登记的照片比对。",
            "比对时请按屏幕提示眨眼、转头。",
            "拍摄的画面和户籍照片只用于这次比对，比对完成后立即删除，不会保存，也不会上传。",
            "如果您不愿意人脸核验，可以在后面的步骤拍一张正脸照片，由民警核对后再发证明；也可以到派出所户籍窗口办理。"
        ] : [
            "为确认是您本人办理，需要用摄像头拍摄您的面部，与身份证上的照片比对。",
            "比对时请按屏幕提示眨眼、转头。",
            "拍摄的画面和证件照片只用于这次比对，比对完成后立即删除，不会保存，也不会上传。",
            "如果您不愿意人脸核验，可以请大厅工作人员核对您的身份证，或者到窗口办理。"
        ]
        delegate: WrappedText {
            required property string modelData
            available: parent ? parent.width : 0
            text: "· " + modelData
            font.pixelSize: 38 * screen.u
            color: Theme.ink
        }
    }

    buttons: [
        KButton { objectName: "backButton"; u: screen.u; primary: false; text: "上一步"; onClicked: controller.back() },
        KButton {
            objectName: "consentDecline"; u: screen.u; primary: false
            text: "不同意"  // where it leads is the last line above; three buttons fit in elder portrait
            onClicked: faceCheck.consentDeclined()
        },
        KButton { objectName: "consentAgree"; u: screen.u; text: "同意核验"; onClicked: faceCheck.consentGiven() }
    ]
}
