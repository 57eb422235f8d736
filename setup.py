"""What pyproject.toml cannot say: the top-level resources/ folder is the package annotator.resources.

The product keeps its icons, stylesheet and default label schema in one top-level folder; mapping
it here (package_dir) ships it inside the wheel and makes importlib.resources find it in an
installed wheel and in an editable install alike. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["annotator", "annotator.*"]), "annotator.resources"],
    package_dir={"annotator.resources": "resources"},
)
