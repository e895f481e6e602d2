"""sitmon — statistical direct reporting, operations monitoring and plan tracking for
the software and information technology services industry (软件和信息技术服务业).

The package follows the GSBPM phases: ``catalog`` (design), ``collect``, ``process``,
``analyse``, ``disseminate``; ``store`` holds every database and warehouse access.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
