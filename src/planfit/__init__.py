"""planfit: check DXF floor plans of party-masses service centers against the Yantai standard."""

__version__ = "0.1.0"
