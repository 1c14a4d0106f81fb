"""Makes the hostile SHD fixtures that PureHDF cannot write (run with Debian's python3-h5py; not needed by the tests).

    /usr/bin/python3 tests/SpikeInit.Tests/Data/Fixtures/make_shd.py tests/SpikeInit.Tests/Data/Fixtures
"""
import sys, h5py, numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
with h5py.File(f"{out}/shd_external_link.h5", "w") as f:       # links to another file: must be refused, never opened
    f["spikes"] = h5py.ExternalLink("/etc/hostname_spikeinit_test.h5", "/spikes")
    f["labels"] = h5py.ExternalLink("shd_train.h5", "/labels")
with h5py.File(f"{out}/shd_soft_link_loop.h5", "w") as f:      # /spikes -> /spikes and /labels -> /a -> /labels
    f["spikes"] = h5py.SoftLink("/spikes")
    f["labels"] = h5py.SoftLink("/a")
    f["a"] = h5py.SoftLink("/labels")
with h5py.File(f"{out}/shd_claims_1e9_rows.h5", "w") as f:     # 10^9 rows claimed, none stored (late allocation)
    g = f.create_group("spikes")
    g.create_dataset("times", (10**9,), dtype=h5py.vlen_dtype(np.float32))
    g.create_dataset("units", (10**9,), dtype=h5py.vlen_dtype(np.uint16))
    f.create_dataset("labels", (10**9,), dtype=np.uint8)
