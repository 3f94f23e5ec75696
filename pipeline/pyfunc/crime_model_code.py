"""The model's code as MLflow loads it ("models from code"): the class lives in crime_pyfunc.py,
shipped in the model's code paths, so loading unpickles nothing."""

import mlflow.models
from crime_pyfunc import CrimeModel

mlflow.models.set_model(CrimeModel())
