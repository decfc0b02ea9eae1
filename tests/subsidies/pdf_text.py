"""Reading a PDF that Chromium printed, without a PDF library: its pages in order, and each page's
text decoded through the fonts' ToUnicode maps (Chromium writes one for every font it embeds)."""

import re
import unicodedata
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
STREAM = re.compile(rb"^(.*?)stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects = {}
    for number, body in OBJECT.findall(pdf):
        match = STREAM.match(body)
        if match:
            head, data = match.groups()
            length = re.search(rb"/Length (\d+)\s*(?:/|>>)", head)  # a direct length
            if length:
                # the stream's own length: its last byte may be a \r that the pattern's `\r?\nendstream` takes
                start = match.start(2)
                data = body[start:start + int(length.group(1))]
            if b"/FlateDecode" in head:
                try:
                    data = zlib.decompress(data)
                except zlib.error:
                    pass
            objects[int(number)] = (head, data)
        else:
            objects[int(number)] = (body, None)
    return objects


def _unicode_map(cmap: bytes) -> dict[bytes, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[src.upper()] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            width, start = len(low), int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[f"{code:0{width}X}".encode()] = chr(start + offset)
    return mapping


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, in page order."""
    objects = _objects(pdf)
    fonts = {}  # font object number -> code map
    for number, (head, _data) in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if ref and int(ref.group(1)) in objects:
            fonts[number] = _unicode_map(objects[int(ref.group(1))][1] or b"")
    root = next(head for head, data in objects.values() if re.search(rb"/Type\s*/Pages\b", head)
                and b"/Parent" not in head)
    order = []

    def walk(head):
        for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", head, re.S).group(1)):
            kid_head = objects[int(kid)][0]
            if re.search(rb"/Type\s*/Pages\b", kid_head):
                walk(kid_head)
            else:
                order.append(kid_head)

    walk(root)
    texts = []
    for head in order:
        resources = head
        ref = re.search(rb"/Resources (\d+) 0 R", head)
        if ref:
            resources = objects[int(ref.group(1))][0]
        font_refs = dict(re.findall(rb"/(F\d+|[A-Za-z]\w*) (\d+) 0 R", _font_dict(resources, objects)))
        contents = re.search(rb"/Contents\s*(\[.*?\]|\d+ 0 R)", head, re.S).group(1)
        text, current = [], {}
        for number in re.findall(rb"(\d+) 0 R", contents):
            stream = objects[int(number)][1] or b""
            for token in re.finditer(rb"/(\S+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", stream, re.S):
                if token.group(1):
                    current = fonts.get(int(font_refs.get(token.group(1), b"0")), {})
                    continue
                hexes = re.findall(rb"<([0-9A-Fa-f]*)>", token.group(2)) if token.group(2) is not None \
                    else [token.group(3)]
                for chunk in hexes:
                    chunk = chunk.upper()
                    width = 4 if len(next(iter(current), b"0000")) == 4 else 2
                    text.append("".join(current.get(chunk[i:i + width], "") for i in range(0, len(chunk), width)))
            text.append("\n")
        # NFKC: the maps give some characters as Kangxi radicals (⽉ for 月); CJK-radical forms stay
        texts.append(unicodedata.normalize("NFKC", "".join(text)))
    return texts


def _font_dict(resources: bytes, objects) -> bytes:
    match = re.search(rb"/Font\s*(<<.*?>>|\d+ 0 R)", resources, re.S)
    if not match:
        return b""
    value = match.group(1)
    ref = re.match(rb"(\d+) 0 R", value)
    return objects[int(ref.group(1))][0] if ref else value
