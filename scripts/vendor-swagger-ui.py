#!/usr/bin/env python3
"""Copies Swagger UI from its npm package (swagger-ui-dist) into assets/swagger-ui/ (make swagger-ui).

    vendor-swagger-ui.py <the package's directory> <out dir> <version>

The files the page needs are copied as they are, with two changes so that the page keeps the
pages' Content-Security-Policy (`img-src 'self'`, nothing inline, nothing from elsewhere):

- every image the stylesheet carries inline as a `data:` URL is written to a file of its own
  (`img/<sha256 prefix>.<svg|png|jpg>`) and the stylesheet points to that file instead;
- the comment naming the source map (which is not shipped) is dropped from the script and the
  stylesheet.

Swagger UI's licence (Apache-2.0) and NOTICE are copied beside them, and VERSION records the
package version. build.rs embeds whatever this directory holds into the binary (src/http/docs.rs).
"""

import base64
import hashlib
import os
import re
import shutil
import sys
import urllib.parse

# A CSS `url(...)` holding a data URL: quoted (with escapes) or bare.
DATA_URL = re.compile(r'url\(\s*(?:"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|(data:[^)\s]*))\s*\)')
SOURCE_MAP = re.compile(r"\n?/[/*][#@] sourceMappingURL=[^\n]*?(?:\*/)?\s*$")
EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}


def css_unescape(text):
    """A CSS string's contents as the browser reads them."""
    def replace(match):
        escaped = match.group(1)
        if re.fullmatch(r"[0-9a-fA-F]{1,6}\s?", escaped):
            return chr(int(escaped.strip(), 16))
        return escaped
    return re.sub(r"\\([0-9a-fA-F]{1,6}\s?|.)", replace, text)


def decode(data_url):
    """The bytes and media type of a data URL."""
    header, _, payload = data_url[len("data:"):].partition(",")
    parts = header.split(";")
    media_type = parts[0] or "text/plain"
    if "base64" in parts[1:]:
        return base64.b64decode(urllib.parse.unquote(payload)), media_type
    return urllib.parse.unquote(payload).encode("utf-8"), media_type


def main():
    package, out, version = sys.argv[1:4]
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "img"))

    css = open(os.path.join(package, "swagger-ui.css"), encoding="utf-8").read()
    written = {}

    def to_file(match):
        quoted = match.group(1) if match.group(1) is not None else match.group(2)
        url = css_unescape(quoted) if quoted is not None else match.group(3)
        if not url.startswith("data:"):
            return match.group(0)
        body, media_type = decode(url)
        name = f"img/{hashlib.sha256(body).hexdigest()[:16]}.{EXTENSIONS[media_type]}"
        written[name] = body
        return f"url({name})"

    css = SOURCE_MAP.sub("\n", DATA_URL.sub(to_file, css))
    assert "data:" not in css, "a data: URL is left in swagger-ui.css"
    for name, body in written.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)
    with open(os.path.join(out, "swagger-ui.css"), "w", encoding="utf-8") as f:
        f.write(css)

    script = open(os.path.join(package, "swagger-ui-bundle.js"), encoding="utf-8").read()
    with open(os.path.join(out, "swagger-ui-bundle.js"), "w", encoding="utf-8") as f:
        f.write(SOURCE_MAP.sub("\n", script))
    for name in ["LICENSE", "NOTICE"]:
        shutil.copyfile(os.path.join(package, name), os.path.join(out, name))
    with open(os.path.join(out, "VERSION"), "w") as f:
        f.write(f"swagger-ui-dist {version}\n")
    print(f"{out}: swagger-ui-dist {version}, {len(written)} images out of the stylesheet")


if __name__ == "__main__":
    main()
