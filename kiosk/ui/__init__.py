"""The Qt Quick user interface: the only package that imports Qt."""
