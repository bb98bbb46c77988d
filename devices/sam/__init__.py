"""The second-generation resident ID card through a SAM module: frames, text block, driver."""
