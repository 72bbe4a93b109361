"""Packaging beyond what pyproject.toml can say: the conformance suite.

`tests/conformance` ships as the data-only package `hl_conformance`, so that
`hll test` with no arguments runs the suite in a regular (non-editable)
install too (hll/testcmd.py looks for it there when the source tree's copy
is absent).  Everything else is declared in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["hlbc*", "compiler*", "hllvm*", "hll*", "hl", "hl.*"]) + ["hl_conformance"],
    package_dir={"hl_conformance": "tests/conformance"},
    package_data={"compiler": ["*.lark"], "hl_conformance": ["**/*"]},
)
