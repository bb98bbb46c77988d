// Admin mode over the resident screens: the unlock (staff card + PIN pad), then the pages.
// Reached only by holding the hall's name for three seconds; locks itself when left alone.
import QtQuick
import QtQuick.Controls.Basic
import ".."

Rectangle {
    id: overlay
    objectName: "adminOverlay"
    property real u: 1
    color: "#eef1f5"
    MouseArea { anchors.fill: parent }  // nothing underneath takes a touch meanwhile

    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 120 * overlay.u
        color: "#2d3748"
        Text {
            anchors { left: parent.left; leftMargin: 40 * overlay.u; verticalCenter: parent.verticalCenter }
            text: admin.unlocked ? "管理模式 · " + admin.staff.name + "（" + admin.staff.role + "）" : "管理模式"
            color: "white"
            font.pixelSize: 40 * overlay.u
            font.bold: true
        }
        KButton {
            objectName: admin.unlocked ? "adminLock" : "adminCancel"
            anchors { right: parent.right; rightMargin: 24 * overlay.u; verticalCenter: parent.verticalCenter }
            u: overlay.u
            primary: false
            tone: "white"
            color: down ? "#4a5568" : "transparent"
            implicitHeight: 90 * overlay.u
            minWidth: 0
            text: admin.unlocked ? "锁定并退出" : "取消"
            onClicked: admin.lock()
        }
    }

    // ---- locked: card and PIN -------------------------------------------------------------------
    Column {
        visible: !admin.unlocked
        anchors { top: bar.bottom; topMargin: 50 * overlay.u; horizontalCenter: parent.horizontalCenter }
        width: Math.min(parent.width * 0.9, 900 * overlay.u)
        spacing: 30 * overlay.u
        property string pin: ""
        id: unlockBox
        WrappedText {
            objectName: "adminMessage"
            available: parent.width
            anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
            horizontalAlignment: Text.AlignHCenter
            text: admin.message
            font.pixelSize: 36 * overlay.u
            color: "#1d2939"
        }
        Text {
            objectName: "pinDots"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: unlockBox.pin === "" ? "密码" : "●".repeat(unlockBox.pin.length)
            font.pixelSize: 56 * overlay.u
            font.letterSpacing: 12 * overlay.u
            color: unlockBox.pin === "" ? "#98a2b3" : "#1d2939"
        }
        Grid {
            anchors.horizontalCenter: parent.horizontalCenter
            columns: 3
            spacing: 18 * overlay.u
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "确定"]
                delegate: KButton {
                    required property string modelData
                    objectName: modelData === "⌫" ? "pinKey_back" : modelData === "确定" ? "pinOk" : "pinKey_" + modelData
                    u: overlay.u
                    minWidth: 220 * overlay.u
                    primary: modelData === "确定"
                    enabled: !admin.busy && (modelData === "确定" ? unlockBox.pin.length >= 6
                             : modelData === "⌫" ? unlockBox.pin.length > 0 : unlockBox.pin.length < 12)
                    text: modelData === "⌫" ? "删除" : modelData
                    font.pixelSize: 42 * overlay.u
                    onClicked: {
                        if (modelData === "⌫") unlockBox.pin = unlockBox.pin.slice(0, -1)
                        else if (modelData === "确定") { admin.unlock(unlockBox.pin); unlockBox.pin = "" }
                        else unlockBox.pin += modelData
                    }
                }
            }
        }
    }

    // ---- unlocked: the pages --------------------------------------------------------------------
    Row {
        visible: admin.unlocked
        anchors { top: bar.bottom; bottom: messageBar.top; left: parent.left; right: parent.right; margins: 30 * overlay.u }
        spacing: 30 * overlay.u
        Flickable {
            // Eight pages fit a landscape screen; the list scrolls should more pages come.
            id: nav
            width: 300 * overlay.u
            height: parent.height
            contentHeight: navColumn.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            Column {
                id: navColumn
                width: nav.width
                spacing: 12 * overlay.u
                Repeater {
                    model: admin.pages
                    delegate: KButton {
                        required property var modelData
                        objectName: "adminPage_" + modelData.key
                        u: overlay.u
                        width: navColumn.width
                        implicitHeight: 80 * overlay.u
                        primary: admin.page === modelData.key
                        text: modelData.label
                        onClicked: admin.showPage(modelData.key)
                    }
                }
            }
        }
        Flickable {
            width: parent.width - nav.width - parent.spacing
            height: parent.height
            contentHeight: pageLoader.item ? pageLoader.item.implicitHeight : 0
            clip: true
            Loader {
                id: pageLoader
                width: parent.width
                sourceComponent: ({ devices: devicesPage, paper: paperPage, reprint: reprintPage,
                                    sync: syncPage, today: todayPage, versions: versionsPage,
                                    assist: assistPage, system: systemPage })[admin.page]
            }
        }
    }

    Rectangle {
        id: messageBar
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: admin.unlocked ? 110 * overlay.u : 0
        visible: admin.unlocked
        color: "#e2e8f0"
        Text {
            objectName: "adminResult"
            anchors { fill: parent; leftMargin: 40 * overlay.u; rightMargin: 40 * overlay.u }
            verticalAlignment: Text.AlignVCenter
            wrapMode: Text.Wrap
            // With nothing to report, the bar says when admin mode locks itself.
            text: admin.busy ? "请稍候…" : (admin.message || ("无操作 " + admin.lockMinutes + " 分钟后自动锁定并退出管理模式。"))
            font.pixelSize: 32 * overlay.u
            color: admin.message || admin.busy ? "#1d2939" : "#5b6472"
        }
    }

    component Heading: Text {
        font.pixelSize: 40 * overlay.u
        font.bold: true
        color: "#0b2e5c"
    }
    component Line: Text {
        width: parent ? parent.width : 0
        wrapMode: Text.Wrap
        font.pixelSize: 32 * overlay.u
        color: "#1d2939"
    }

    Component {
        id: devicesPage
        Column {
            spacing: 18 * overlay.u
            Heading { text: "设备状态与自检" }
            Repeater {
                model: admin.view.devices || []
                delegate: Rectangle {
                    required property var modelData
                    width: parent.width
                    // Grows with its text: a fault's words can take two lines beside the button.
                    height: Math.max(110 * overlay.u, deviceText.implicitHeight + 40 * overlay.u)
                    radius: 12 * overlay.u
                    color: "white"
                    border.color: modelData.ok ? "#c5ccd6" : "#b3261e"
                    border.width: 3 * overlay.u
                    Text {
                        id: deviceText
                        anchors {
                            left: parent.left; leftMargin: 24 * overlay.u; verticalCenter: parent.verticalCenter
                            right: selfTestButton.visible ? selfTestButton.left : parent.right; rightMargin: 16 * overlay.u
                        }
                        wrapMode: Text.Wrap
                        text: modelData.name + "：" + modelData.words
                        font.pixelSize: 34 * overlay.u
                        color: modelData.ok ? "#1d2939" : "#b3261e"
                        objectName: "deviceState_" + modelData.key
                    }
                    KButton {
                        id: selfTestButton
                        objectName: "selfTest_" + modelData.key
                        visible: ["receipt", "a4", "id_card", "camera"].indexOf(modelData.key) >= 0
                        anchors { right: parent.right; rightMargin: 16 * overlay.u; verticalCenter: parent.verticalCenter }
                        u: overlay.u
                        implicitHeight: 84 * overlay.u
                        primary: false
                        text: modelData.key === "receipt" ? "打印测试回执" : modelData.key === "a4" ? "打印测试页" : "检查"
                        onClicked: admin.selfTest(modelData.key)
                    }
                }
            }
        }
    }

    Component {
        id: paperPage
        Column {
            spacing: 18 * overlay.u
            Heading { text: "纸张与耗材" }
            Repeater {
                model: admin.view.paper || []
                delegate: Rectangle {
                    required property var modelData
                    width: parent.width
                    height: Math.max(120 * overlay.u, paperText.implicitHeight + 40 * overlay.u)
                    radius: 12 * overlay.u
                    color: "white"
                    border.color: modelData.low ? "#e0a100" : "#c5ccd6"
                    border.width: 3 * overlay.u
                    Text {
                        id: paperText
                        objectName: "paper_" + modelData.device
                        anchors {
                            left: parent.left; leftMargin: 24 * overlay.u; verticalCenter: parent.verticalCenter
                            right: refillButton.left; rightMargin: 16 * overlay.u
                        }
                        wrapMode: Text.Wrap
                        text: modelData.name + "：补充后已用 " + modelData.used + "，约剩 " + modelData.left
                              + (modelData.low ? "（请准备补纸）" : "")
                        font.pixelSize: 32 * overlay.u
                        color: modelData.low ? "#8a5a00" : "#1d2939"
                    }
                    KButton {
                        id: refillButton
                        objectName: "refill_" + modelData.device
                        anchors { right: parent.right; rightMargin: 16 * overlay.u; verticalCenter: parent.verticalCenter }
                        u: overlay.u
                        implicitHeight: 84 * overlay.u
                        text: "已补充"
                        onClicked: admin.refill(modelData.device)
                    }
                }
            }
        }
    }

    Component {
        id: reprintPage
        Column {
            id: reprintColumn
            spacing: 18 * overlay.u
            property string reason: ""
            Heading { text: "补打营业执照" }
            Line { text: "先选择补打原因，再点要补打的执照。补打会计次并记录操作人员。" }
            Flow {
                width: parent.width
                spacing: 14 * overlay.u
                Repeater {
                    model: ["原件遗失", "原件污损", "打印不清晰", "经营者要求换打"]
                    delegate: KButton {
                        required property string modelData
                        objectName: "reprintReason_" + modelData
                        u: overlay.u
                        implicitHeight: 84 * overlay.u
                        primary: reprintColumn.reason === modelData
                        text: modelData
                        onClicked: reprintColumn.reason = modelData
                    }
                }
            }
            Line { visible: (admin.view.licences || []).length === 0; text: "本终端还没有出具过营业执照。" }
            Repeater {
                model: admin.view.licences || []
                delegate: Rectangle {
                    required property var modelData
                    width: parent.width
                    height: Math.max(130 * overlay.u, licenceText.implicitHeight + 40 * overlay.u)
                    radius: 12 * overlay.u
                    color: "white"
                    border.color: "#c5ccd6"
                    border.width: 3 * overlay.u
                    Text {
                        id: licenceText
                        anchors {
                            left: parent.left; leftMargin: 24 * overlay.u; verticalCenter: parent.verticalCenter
                            right: reprintButton.left; rightMargin: 16 * overlay.u
                        }
                        wrapMode: Text.Wrap
                        text: modelData.name + "\n" + modelData.code + "\n已打印 " + modelData.count + " 次"
                        font.pixelSize: 30 * overlay.u
                    }
                    KButton {
                        id: reprintButton
                        objectName: "reprint_" + modelData.code
                        anchors { right: parent.right; rightMargin: 16 * overlay.u; verticalCenter: parent.verticalCenter }
                        u: overlay.u
                        implicitHeight: 84 * overlay.u
                        enabled: reprintColumn.reason !== "" && !admin.busy
                        text: "补打"
                        onClicked: admin.reprintLicence(modelData.code, reprintColumn.reason)
                    }
                }
            }
        }
    }

    Component {
        id: assistPage
        Column {
            spacing: 18 * overlay.u
            Heading { text: "帮办" }
            Line { text: "开始帮办后管理模式关闭，由您陪同群众在本机办理。办件上会记录您的工号，群众返回首页时帮办结束。" }
            KButton { objectName: "startAssist"; u: overlay.u; text: "开始帮办"; onClicked: admin.startAssist() }
        }
    }

    Component {
        id: syncPage
        Column {
            spacing: 18 * overlay.u
            readonly property var v: admin.view
            Heading { text: "数据同步" }
            Line { objectName: "syncOnline"; text: "与中心的连接：" + (v.online ? "已联网" : (v.enrolled ? "未联网" : "尚未注册到中心")) }
            Line { text: "上次成功同步：" + (v.lastSuccess || "无") }
            Line { visible: !!v.lastError; text: "最近的错误：" + (v.lastError || "") }
            Line {
                objectName: "syncCounts"
                text: "待发送 " + ((v.counts || {}).pending || 0) + " 条，已送达 " + ((v.counts || {}).acknowledged || 0)
                      + " 条，需处理 " + ((v.counts || {}).parked || 0) + " 条"
            }
            Heading { text: "需要处理的记录"; visible: (v.parked || []).length > 0 }
            KButton {
                objectName: "exportParked"
                visible: (v.parked || []).length > 0
                u: overlay.u
                primary: false
                text: "全部导出（加密，交中心导入）"
                onClicked: admin.exportParked()
            }
            Repeater {
                model: v.parked || []
                delegate: Rectangle {
                    required property var modelData
                    width: parent.width
                    height: reasonText.implicitHeight + 120 * overlay.u
                    radius: 12 * overlay.u
                    color: "white"
                    border.color: "#e0a100"
                    border.width: 3 * overlay.u
                    Text {
                        id: reasonText
                        anchors { left: parent.left; right: retry.left; top: parent.top; margins: 20 * overlay.u }
                        wrapMode: Text.Wrap
                        text: "办件 " + modelData.case + "\n原因：" + modelData.reason
                        font.pixelSize: 30 * overlay.u
                    }
                    KButton {
                        id: retry
                        objectName: "retry_" + modelData.entry
                        anchors { right: parent.right; rightMargin: 16 * overlay.u; verticalCenter: parent.verticalCenter }
                        u: overlay.u
                        implicitHeight: 84 * overlay.u
                        text: "重新发送"
                        onClicked: admin.retryParked(modelData.entry)
                    }
                }
            }
        }
    }

    Component {
        id: todayPage
        Column {
            spacing: 18 * overlay.u
            readonly property var v: admin.view
            Heading { text: "今日统计" }
            Line {
                objectName: "todayTotals"
                text: "今日办件 " + (v.cases || 0) + " 件；平均评价 " + (v.averageRating ? v.averageRating.toFixed(1) : "—")
                      + "；办理时间中位数 " + (v.medianMinutes ? v.medianMinutes + " 分钟" : "—")
            }
            Heading { text: "按事项"; font.pixelSize: 34 * overlay.u }
            Repeater { model: v.byItem || []; delegate: barRow }
            Heading { text: "按结果"; font.pixelSize: 34 * overlay.u }
            Repeater { model: v.byOutcome || []; delegate: barRow }
            Heading { text: "好差评"; font.pixelSize: 34 * overlay.u }
            Repeater { model: v.ratings || []; delegate: barRow }
            Heading { text: "呼叫工作人员（" + (v.staffCalls || []).length + " 次）"; font.pixelSize: 34 * overlay.u }
            Repeater {
                model: v.staffCalls || []
                delegate: Line {
                    required property var modelData
                    objectName: "staffCall_" + index
                    text: modelData.at + "  " + modelData.terminal + "  " + (modelData.item || "首页")
                          + "  " + modelData.where
                }
            }
        }
    }

    Component {
        id: barRow
        // One bar of the day's chart: the label, a bar as long as its share, the count.
        Item {
            // Required, so the Repeater hands each row its entry (a plain property would hide it).
            required property var modelData
            objectName: "todayBar_" + modelData.label
            readonly property int most: {
                var v = admin.view, top = 1
                var lists = [v.byItem || [], v.byOutcome || [], v.ratings || []]
                for (var l = 0; l < lists.length; l++)
                    for (var i = 0; i < lists[l].length; i++) top = Math.max(top, lists[l][i].count)
                return top
            }
            width: parent ? parent.width : 0
            height: 60 * overlay.u
            Text {
                id: label
                width: 420 * overlay.u
                anchors.verticalCenter: parent.verticalCenter
                elide: Text.ElideRight
                text: modelData ? modelData.label : ""
                font.pixelSize: 28 * overlay.u
            }
            Rectangle {
                anchors { left: label.right; verticalCenter: parent.verticalCenter }
                height: 36 * overlay.u
                width: modelData ? (parent.width - label.width - 120 * overlay.u) * modelData.count / parent.most : 0
                color: "#1f6feb"
            }
            Text {
                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                text: modelData ? modelData.count : ""
                font.pixelSize: 28 * overlay.u
            }
        }
    }

    Component {
        id: versionsPage
        Column {
            spacing: 12 * overlay.u
            Heading { text: "事项目录与规则版本" }
            Repeater {
                model: admin.view.items || []
                delegate: Line {
                    required property var modelData
                    text: modelData.name + "　版本 " + modelData.version + "　规则 " + modelData.rules
                    font.pixelSize: 28 * overlay.u
                }
            }
        }
    }

    Component {
        id: systemPage
        Column {
            spacing: 18 * overlay.u
            Heading { text: "系统维护（运维技术员）" }
            Line { text: "终端编号：" + (admin.view.terminal || "") }
            KButton { objectName: "exportDiagnostics"; u: overlay.u; primary: false; text: "导出诊断包（U盘）"; onClicked: admin.exportDiagnostics() }
            Line { text: "诊断包含日志（个人信息已屏蔽）、配置（不含密钥）和设备报告；插入U盘时写入U盘，否则写入数据目录。"; font.pixelSize: 26 * overlay.u }
            KButton { objectName: "restartApp"; u: overlay.u; text: "重启终端程序"; onClicked: admin.restartApp() }
        }
    }
}
