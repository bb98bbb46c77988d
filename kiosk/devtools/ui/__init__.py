"""The tooling that drives and measures the Qt Quick UI: driver, walkthrough, atlas, probes."""
