"""Session flow, case store and services: Qt-free, testable without a display."""
