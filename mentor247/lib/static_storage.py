"""Static files in production: WhiteNoise's compressed files named by their content's hash,
with the imports between ES modules (the room's and the tech check's scripts) rewritten to
those names too, so a browser never mixes one deploy's modules with another's."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
