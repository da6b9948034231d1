"""The meeting deck: presenter payload, slides, written summary, snapshots and the PPTX / PDF /
PNG writers. Imports lib.core, lib.store and lib.dash."""
