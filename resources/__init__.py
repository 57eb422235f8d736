"""News Annotator's resources, installed as the package `annotator.resources`.

This top-level folder is the one copy in the repository; setup.py maps it to `annotator.resources`
so that the wheel, the sdist and an editable install all carry it, and annotator/assets.py finds it
through importlib.resources. It holds the default label schema, the application icon (SVG sources,
PNGs 16-512 in the hicolor layout, .ico and .icns; packaging/render_icons.sh makes them) and the
application stylesheet.
"""
