"""Writes a ~1 GiB joblib dump whose arrays are inline (an embedding matrix and a few small arrays),
as joblib.dump writes large NumPy models: the pickle is kilobytes, the rest is array data.

Usage: python3 make_big_joblib.py OUT.joblib   (needs python3-joblib and python3-numpy)
"""
import sys

import joblib
import numpy as np

rng = np.random.default_rng(0)
model = {
    "embeddings": rng.standard_normal((262_000, 1024), dtype=np.float32),
    "bias": np.zeros(1024, dtype=np.float32),
    "vocabulary": [f"token{index}" for index in range(2000)],
    "config": {"dim": 1024, "normalize": True},
}
joblib.dump(model, sys.argv[1])
