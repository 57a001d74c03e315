"""qingdan: compile YAML sources into GB/T 9704-2012 official documents (.docx)."""

__version__ = "0.1.0"
