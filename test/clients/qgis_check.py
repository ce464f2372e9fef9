"""QGIS (PyQGIS, as Debian ships it) reading the API the way a QGIS user does, with HTTP Basic.

Run by test/qgis.test.ts with Debian's Python (/usr/bin/python3, where python3-qgis installs) and
QT_QPA_PLATFORM=offscreen:

    qgis_check.py <base url> <username> <password> <expected.json> <out.png>

expected.json: {"collections": {"<collection id>": <feature count GraphQL gives the same user>},
"tiles": ["<tile layer>", ...], "extent": [minx, miny, maxx, maxy] (lon/lat, the area to render)}.

It creates a Basic authentication configuration (username and password, as under Settings >
Options > Authentication, in an authentication database of a temporary profile), loads every OGC
API collection the landing page lists as an `OAPIF` layer and the vector tile layers (`vectortile`
provider, type=xyz) with it, counts each OGC layer's features by reading them all (so QGIS pages
through the `next` links), renders the OGC layers and the tile layers into PNGs (as the map canvas
does: in parallel, the main thread's event loop running), and prints one JSON report on stdout.
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsAuthMethodConfig,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QEventLoop, QSize, QTimer  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def main() -> int:
    base, username, password, expected_path, out_png = sys.argv[1:6]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)

    profile = tempfile.mkdtemp(prefix="kbs-qgis-")
    app = QgsApplication([], False, profile)
    app.initQgis()
    report = {"qgis": Qgis.QGIS_VERSION}
    messages = []
    QgsApplication.messageLog().messageReceived.connect(lambda message, tag, level: messages.append(f"{tag}: {message}"))
    try:
        auth = QgsApplication.authManager()
        # A new authentication database in the temporary profile: its master password is set here.
        if not auth.setMasterPassword("kbs-qgis-check", True):
            raise SystemExit("could not set the master password of QGIS's authentication database")
        config = QgsAuthMethodConfig("Basic")
        config.setName("kbs")
        config.setUri(base)
        config.setConfig("username", username)
        config.setConfig("password", password)
        ok, config = auth.storeAuthenticationConfig(config)
        if not ok or not config.id():
            raise SystemExit("could not store the Basic authentication configuration")
        authcfg = config.id()
        report["authcfg"] = authcfg

        layers = []
        report["collections"] = {}
        for collection in expected["collections"]:
            uri = QgsDataSourceUri()
            uri.setParam("url", f"{base}/ogc")
            uri.setParam("typename", collection)
            uri.setAuthConfigId(authcfg)
            layer = QgsVectorLayer(uri.uri(False), collection, "OAPIF")
            entry = {"valid": layer.isValid()}
            if layer.isValid():
                entry["featureCount"] = layer.featureCount()
                entry["read"] = sum(1 for _ in layer.getFeatures())
                entry["geometryType"] = layer.geometryType()
                entry["fields"] = [f.name() for f in layer.fields()]
                layers.append(layer)
            else:
                # (layer.error() of an OAPIF layer that failed to load crashes QGIS 3.22: the log says why.)
                entry["log"] = [m for m in messages if collection in m or "OAPIF" in m or "WFS" in m][-5:]
            report["collections"][collection] = entry

        report["tiles"] = {}
        tile_layers = []
        for name in expected["tiles"]:
            url = f"{base}/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt"
            source = f"type=xyz&url={url}&zmin=0&zmax=18&authcfg={authcfg}"
            layer = QgsVectorTileLayer(source, f"{name} (tiles)")
            report["tiles"][name] = {"valid": layer.isValid(), "source": layer.source()}
            if layer.isValid():
                tile_layers.append(layer)

        project = QgsProject.instance()
        for layer in layers + tile_layers:
            project.addMapLayer(layer)

        # Render the tiles over the OGC layers, in Web Mercator, over the sample area.
        mercator = QgsCoordinateReferenceSystem("EPSG:3857")
        to_mercator = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator, project)
        minx, miny, maxx, maxy = expected["extent"]
        extent = to_mercator.transformBoundingBox(QgsRectangle(minx, miny, maxx, maxy))
        report["render"] = {}
        # Points over lines over polygons (the first layer is drawn on top).
        ogc_on_top = sorted(layers, key=lambda layer: layer.geometryType())
        for label, render_layers in (("ogc", ogc_on_top), ("tiles", tile_layers)):
            settings = QgsMapSettings()
            settings.setLayers(render_layers)
            settings.setDestinationCrs(mercator)
            settings.setExtent(extent)
            settings.setOutputSize(QSize(800, 800))
            settings.setBackgroundColor(QColor(255, 255, 255))
            job = QgsMapRendererParallelJob(settings)
            # The main thread keeps its event loop running while layers render, as in the QGIS
            # application: QGIS answers a 401 of a tile request (asked from a rendering thread) on
            # the main thread, and job.waitForFinished() there would wait for it for ever.
            loop = QEventLoop()
            job.finished.connect(loop.quit)
            QTimer.singleShot(180_000, loop.quit)
            job.start()
            loop.exec_()
            if job.isActive():
                job.cancel()
                raise SystemExit(f"rendering the {label} layers took more than 180 s")
            image = job.renderedImage()
            path = out_png if label == "tiles" else out_png.replace(".png", f"-{label}.png")
            image.save(path, "PNG")
            report["render"][label] = {"path": path, "errors": [e.message for e in job.errors()], **pixel_stats(image)}
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
    report["log"] = messages[-20:]
    print(json.dumps(report), flush=True)
    return 0


def pixel_stats(image) -> dict:
    """How many pixels are not the background, and how many colours there are (sampled every 4th pixel)."""
    background = QColor(255, 255, 255).rgb()
    colours = set()
    drawn = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            rgb = image.pixel(x, y)
            colours.add(rgb)
            if rgb != background:
                drawn += 1
    return {"colours": len(colours), "drawnSamples": drawn, "samples": ((image.height() + 3) // 4) * ((image.width() + 3) // 4)}


if __name__ == "__main__":
    sys.exit(main())
