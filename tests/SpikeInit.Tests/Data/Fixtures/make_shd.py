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

# A valid file laid out as the published SHD files are (h5py defaults: float16 times, uint16 units, uint16 labels, an
# 'extra' group), with an empty row; and the same data chunked and compressed, whose row lengths cannot be checked.
times = [np.array([0.01, 0.2, 0.5], np.float16), np.array([], np.float16), np.array([0.1], np.float16), np.array([0.3, 0.3], np.float16)]
units = [np.array([1, 600, 3], np.uint16), np.array([], np.uint16), np.array([7], np.uint16), np.array([0, 699], np.uint16)]
for name, options in [("shd_h5py_layout.h5", {}), ("shd_h5py_chunked.h5", {"chunks": (2,), "compression": "gzip"})]:
    with h5py.File(f"{out}/{name}", "w") as f:
        for key, rows, dtype in [("times", times, np.float16), ("units", units, np.uint16)]:
            d = f.create_dataset(f"spikes/{key}", (len(rows),), dtype=h5py.vlen_dtype(dtype), **options)
            for i, r in enumerate(rows):
                d[i] = r
        f.create_dataset("labels", data=np.array([0, 3, 1, 2], np.uint16))
        f.create_dataset("extra/speaker", data=np.array([1, 2, 3, 4], np.uint16))
        f.create_dataset("extra/keys", data=np.array([b"zero", b"one", b"two", b"three"]))
