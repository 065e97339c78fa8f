"""samizdat: structured content to print-ready pamphlets, posters and booklets."""

__version__ = "0.3.0"
