// Colours and sizes of the resident screens, by role. Elder mode (长辈模式) scales every size
// by `scale` and switches to a high-contrast palette: black on white, dark saturated accents,
// each text colour at least 7:1 against its background (WCAG AAA).
pragma Singleton
import QtQuick

QtObject {
    property bool elder: false
    readonly property real scale: elder ? 1.3 : 1.0

    readonly property color page: elder ? "#ffffff" : "#f3f5f8"
    readonly property color surface: "#ffffff"
    readonly property color bar: elder ? "#d0d5dd" : "#e8ecf2"
    readonly property color line: elder ? "#000000" : "#c5ccd6"
    readonly property color header: elder ? "#001a3d" : "#0b4ea2"
    readonly property color headerPressed: elder ? "#0b3a7a" : "#2d68b8"
    readonly property color title: elder ? "#000000" : "#0b2e5c"
    readonly property color ink: elder ? "#000000" : "#1d2939"
    readonly property color inkSoft: elder ? "#000000" : "#394b63"
    readonly property color muted: elder ? "#1a1a1a" : "#5a6b82"
    readonly property color primary: elder ? "#002f6c" : "#1f6feb"
    readonly property color primaryFill: elder ? "#cfe0ff" : "#e8f0fb"
    readonly property color good: elder ? "#004d12" : "#2b7a3d"
    readonly property color goodFill: elder ? "#d3f2dc" : "#e7f6ec"
    readonly property color bad: elder ? "#7a0000" : "#b3261e"
    readonly property color warn: elder ? "#4d3200" : "#8a5a00"
    readonly property color warnLine: elder ? "#4d3200" : "#e0a100"
    readonly property color warnFill: elder ? "#ffe9b3" : "#fff4e5"
    readonly property color scrim: "#b0000000"
}
