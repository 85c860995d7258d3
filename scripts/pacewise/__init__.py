"""Pacewise: the Python side of a VR exercise game for chronic low back pain."""

__version__ = "0.1.0"
