"""Writes a ~10 MB joblib dump of a scikit-learn random forest (opcode-heavy: many small objects).

Usage: python3 make_forest.py OUT.joblib   (needs python3-sklearn and python3-joblib)
"""
import sys

import joblib
import numpy as np
from sklearn.ensemble import RandomForestClassifier

rng = np.random.RandomState(0)
features = rng.rand(4000, 20)
labels = (features[:, 0] + rng.rand(4000) > 1.0).astype(int)
forest = RandomForestClassifier(n_estimators=130, max_depth=None, random_state=0).fit(features, labels)
joblib.dump(forest, sys.argv[1])
