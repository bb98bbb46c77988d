// The button that commits the resident (确认提交, the signed commitment). Until the page has been
// in view to its end it says 往下看 and scrolls on a screenful: nothing is confirmed unseen, and
// no one has to know that a page can be swiped.
import QtQuick

KButton {
    id: control
    required property Item frame  // the ScreenFrame whose body must be seen
    property string action: ""
    readonly property bool readFirst: !frame.seenAll
    signal confirmed()

    text: readFirst ? "往下看" : action
    onClicked: readFirst ? frame.showMore() : control.confirmed()
}
