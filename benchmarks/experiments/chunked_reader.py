"""Prototype: read one xlsx sheet in row chunks with calamine (via fastexcel) to bound peak RSS.

read_sheet_chunked(path, sheet_name, chunk_rows=100_000, mode="numeric", workers=0)
    -> (pandas.DataFrame, first_row_number)

The DataFrame is the raw grid (header row included, like header_row=None), columns 0..N-1
counted from the first used column, first_row_number = 1-based Excel row of df.iloc[0].

How it works
  * the sheet part is streamed out of the zip (zlib, C level) in blocks, cut at the last
    b"</row>" of each block; a chunk is ~chunk_rows rows (bytes estimated from the 1st block).
  * each chunk is wrapped in a minimal in-memory xlsx (ZIP_STORED) that contains the original
    styles.xml and workbookPr (date formats / 1904 flag) but NOT sharedStrings.xml;
    shared-string cells are rewritten with ONE bytes.replace so calamine does not need the SST:
        mode="numeric": ' t="s"><v>N'  ->  '><v>-8999N'  (a number; decoded back vectorised)
        mode="marker" : ' t="s"><v>N'  ->  ' t="str"><v>\ue000N' (a string with a marker)
        mode="sst"    : no rewrite, the original sharedStrings.xml is put in every chunk
  * sentinel cells in column A (row above / below the chunk) pin calamine's range origin, so
    every chunk has the same column origin and exactly the expected rows.
  * sharedStrings.xml is parsed once (regex fast path; calamine itself as the exact fallback)
    into a pyarrow string array; indices -> strings with pyarrow take.
"""
from __future__ import annotations

import io
import re
import zipfile
import posixpath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import fastexcel

MARK = "\ue000"
MARK_B = MARK.encode()
NUM_PREFIX = 8999  # encoded shared string index N -> number -(8999 followed by digits of N)

_NS_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       b'<Default Extension="xml" ContentType="application/xml"/>'
       b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
       b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_REL_T = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _wb_xml(workbook_pr: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ' + _NS_MAIN +
            b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' + workbook_pr +
            b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')


def _wb_rels(sst: bool, styles: bool) -> bytes:
    s = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="' + _REL_T + b'worksheet" Target="worksheets/sheet1.xml"/>')
    if sst:
        s += b'<Relationship Id="rId2" Type="' + _REL_T + b'sharedStrings" Target="sharedStrings.xml"/>'
    if styles:
        s += b'<Relationship Id="rId3" Type="' + _REL_T + b'styles" Target="styles.xml"/>'
    return s + b'</Relationships>'


# ----------------------------------------------------------------------------- workbook lookup
def _attr(tag: bytes, name: bytes):
    m = re.search(rb'(?:^|\s)' + name + rb'\s*=\s*(["\'])(.*?)\1', tag, re.S)
    return m.group(2) if m else None


def _xml_unescape(b: bytes) -> str:
    import html
    return html.unescape(b.decode("utf-8"))


def locate_parts(zf: zipfile.ZipFile, sheet_name: str):
    """sheet name -> r:id -> part name; also sharedStrings/styles part names and workbookPr."""
    wb = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    rid = None
    for tag in re.findall(rb"<(?:\w+:)?sheet\s[^>]*>", wb):
        if _xml_unescape(_attr(tag, b"name") or b"") == sheet_name:
            rid = _attr(tag, rb"r:id") or _attr(tag, rb"\w+:id")
            break
    if rid is None:
        raise KeyError(f"sheet {sheet_name!r} not found")
    targets, sst_part, styles_part = {}, None, None
    for tag in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
        tgt = _attr(tag, b"Target").decode()
        part = tgt.lstrip("/") if tgt.startswith("/") else posixpath.normpath(posixpath.join("xl", tgt))
        typ = _attr(tag, b"Type") or b""
        targets[_attr(tag, b"Id")] = part
        if typ.endswith(b"/sharedStrings"):
            sst_part = part
        elif typ.endswith(b"/styles"):
            styles_part = part
    m = re.search(rb"<(?:\w+:)?workbookPr\b[^>]*/>", wb)
    return targets[rid], sst_part, styles_part, (m.group(0) if m else b"")


# ----------------------------------------------------------------------------- shared strings
_SI_FAST = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')


def _sst_regex(data: bytes):
    """Fast path: only plain <si><t>..</t></si> items, no entities/_xHHHH_ escapes."""
    n_si = data.count(b"<si>") + data.count(b"<si ") + data.count(b"<si/>")
    if b"&" in data or b"_x" in data:
        return None
    vals = _SI_FAST.findall(data)
    if len(vals) != n_si:
        return None  # rich text, <si/> or other forms -> exact fallback
    return pa.array(vals, pa.binary()).cast(pa.string())


def _sst_calamine(zf: zipfile.ZipFile, sst_part: str):
    """Exact fallback: let calamine resolve every index via a synthetic 1-column sheet."""
    data = zf.read(sst_part)
    m = re.search(rb'uniqueCount="(\d+)"', data[:1000])
    n = int(m.group(1)) if m else data.count(b"<si")
    body = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i + 1, i + 1, i) for i in range(n))
    xlsx = _build_xlsx(b"<worksheet " + _NS_MAIN + b"><sheetData>", [body], b"</sheetData></worksheet>",
                       sst=data, styles=None, workbook_pr=b"")
    rb = fastexcel.read_excel(xlsx).load_sheet(0, header_row=None, eager=True, dtypes="string")
    return rb.column(0)


def load_shared_strings(zf: zipfile.ZipFile, sst_part: str | None):
    if sst_part is None:
        return pa.array([], pa.string())
    arr = _sst_regex(zf.read(sst_part))
    return arr if arr is not None else _sst_calamine(zf, sst_part)


# ----------------------------------------------------------------------------- chunking
def _build_xlsx(head: bytes, body_parts, tail: bytes, sst, styles, workbook_pr) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _wb_xml(workbook_pr))
        z.writestr("xl/_rels/workbook.xml.rels", _wb_rels(sst is not None, styles is not None))
        if sst is not None:
            z.writestr("xl/sharedStrings.xml", sst)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as w:
            w.write(head)
            for p in body_parts:
                w.write(p)
            w.write(tail)
    return bio.getvalue()


_ROW_R = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')


def _row_number_at(buf: bytes, pos: int) -> int:
    m = _ROW_R.match(buf, pos)
    if not m:
        raise ValueError("row without r= attribute; chunking needs explicit row numbers")
    return int(m.group(1))


def iter_row_chunks(zf: zipfile.ZipFile, part: str, chunk_rows: int, block=32 << 20, min_bytes=1 << 20):
    """Yield (prolog, rows_bytes, first_r, last_r). rows_bytes is a whole number of <row> elements."""
    f = zf.open(part)
    buf = f.read(block)
    i = buf.find(b"<sheetData")
    if i < 0:
        raise ValueError("no <sheetData>")
    if buf[i - 1:i] == b":":
        raise ValueError("namespace-prefixed sheet XML not supported by the prototype")
    j = buf.find(b">", i) + 1
    prolog = buf[:i]
    if buf[j - 2:j] == b"/>":  # <sheetData/>
        return
    buf = buf[j:]
    nrows = buf.count(b"</row>") or 1
    target = max(min_bytes, int(len(buf) / nrows * chunk_rows))
    eof = False
    while True:
        while not eof and len(buf) < target:
            more = f.read(block)
            if not more:
                eof = True
            else:
                buf += more
        if eof:
            end = buf.find(b"</sheetData>")
            rows, buf = buf[:end], b""
        else:
            cut = buf.rfind(b"</row>", 0, target + 6) + 6
            if cut < 6:
                cut = buf.rfind(b"</row>") + 6
            rows, buf = buf[:cut], buf[cut:]
        if rows.strip():
            first = rows.find(b"<row")
            last = rows.rfind(b"<row")
            yield prolog, rows, _row_number_at(rows, first), _row_number_at(rows, last)
        if eof:
            return


# ----------------------------------------------------------------------------- per-chunk parse
def _rewrite(rows: bytes, mode: str) -> tuple[bytes, str]:
    if mode == "sst":
        return rows, mode
    if mode == "numeric" and b"<v>-8" in rows and (b"<v>-8999" in rows or b"<v>-8.999" in rows):
        mode = "marker"                     # a genuine number could collide with the encoding
    if mode == "marker" and MARK_B in rows:  # a genuine string starts with our marker
        return rows, "sst"
    new = b' t="str"><v>' + MARK_B if mode == "marker" else b"><v>-%d" % NUM_PREFIX
    rows = rows.replace(b' t="s"><v>', new)
    if b'="s"' in rows or b"='s'" in rows:  # other attribute order / quoting / whitespace
        pat = rb'(<c\b[^>]*?)\st\s*=\s*["\']s["\']([^>]*>\s*<v>)'
        rows = re.sub(pat, rb'\1 t="str"\2' + MARK_B if mode == "marker" else rb"\1\2-8999", rows)
        if re.search(rb'<c\b[^>]*\st\s*=\s*["\']s["\']', rows):
            return rows, "sst"              # e.g. <c t="s"/> or <v/> forms: let calamine do it
    return rows, mode


def parse_chunk(prolog, rows, first_r, last_r, prev_last_r, ctx):
    """Return (list of resolved pyarrow arrays, first_row_number, header_or_None)."""
    rb, mode = parse_raw(prolog, rows, first_r, last_r, prev_last_r, ctx)
    return finish_chunk(rb, mode, last_r, prev_last_r, ctx)


def parse_raw(prolog, rows, first_r, last_r, prev_last_r, ctx):
    """Wrap the rows into a mini xlsx and let calamine parse it -> (RecordBatch, mode)."""
    mode = ctx["mode"]
    rows, mode = _rewrite(rows, mode)
    top = b""
    if prev_last_r is not None:             # pin origin to (prev_last_r, A)
        top = b'<row r="%d"><c r="A%d"><v>0</v></c></row>' % (prev_last_r, prev_last_r)
    bottom = b'<row r="%d"><c r="A%d"><v>0</v></c></row>' % (last_r + 1, last_r + 1)
    head = prolog + b"<sheetData>" + top
    xlsx = _build_xlsx(head, [rows], bottom + b"</sheetData></worksheet>",
                       sst=ctx["sst_raw"]() if mode == "sst" else None,
                       styles=ctx["styles"], workbook_pr=ctx["workbook_pr"])
    del rows
    kw = dict(header_row=None, eager=True, schema_sample_rows=None)
    rb = fastexcel.read_excel(xlsx).load_sheet(0, **kw)
    del xlsx
    return rb, mode


def _worker_parse(args):
    prolog, rows, first_r, last_r, prev_last_r, wctx = args
    import resource
    rb, mode = parse_raw(prolog, rows, first_r, last_r, prev_last_r, wctx)
    return rb, mode, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def finish_chunk(rb, mode, last_r, prev_last_r, ctx):
    n = rb.num_rows
    if prev_last_r is not None:
        rb = rb.slice(1, n - 2)
        first = prev_last_r + 1
        expected = last_r - prev_last_r
        if rb.num_rows != expected:
            raise AssertionError(f"chunk rows {rb.num_rows} != {expected}")
    else:
        rb = rb.slice(0, n - 1)
        first = last_r + 2 - n
    header = None
    if ctx.get("header") and prev_last_r is None:
        hrow, rb = rb.slice(0, 1), rb.slice(1)
        header = [_resolve(hrow.column(k), mode, ctx)[0].as_py() for k in range(hrow.num_columns)]
    cols = [_resolve(rb.column(k), mode, ctx) for k in range(rb.num_columns)]
    ctx["stats"][mode] = ctx["stats"].get(mode, 0) + 1
    return cols, first, header


def _decode_numeric(col: pa.Array, sst: pa.Array):
    x = -col.to_numpy(zero_copy_only=False)          # float64, NaN for nulls
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.floor(np.log10(x)) - 3
        k = np.where(np.isfinite(k) & (k >= 0) & (k <= 12), k, 0).astype(np.int64)
        p = 10 ** k
        base = NUM_PREFIX * p
        enc = (x >= base) & (x < base + p) & (x == np.floor(x))
    if not enc.any():
        return col
    idx = (np.where(enc, x, 0).astype(np.int64) - np.where(enc, base, 0))
    strings = sst.take(pa.array(idx, mask=~enc))
    if enc.sum() == len(col) - col.null_count:       # pure shared-string column
        return strings
    # mixed numbers + shared strings -> strings
    return pc.if_else(pa.array(enc), strings, pc.cast(col, pa.string()))


def _decode_marker(col: pa.Array, sst: pa.Array):
    if not pa.types.is_string(col.type):
        return col
    m = pc.starts_with(col, MARK)
    nm = pc.sum(m).as_py() or 0
    if nm == 0:
        return col
    body = pc.utf8_slice_codeunits(col, 1)
    if nm == len(col) - col.null_count:
        return sst.take(pc.cast(body, pa.int64()))
    idx = pc.cast(pc.if_else(m, body, pa.scalar(None, pa.string())), pa.int64())
    return pc.if_else(m, sst.take(idx), col)


def _resolve(col, mode, ctx):
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if col.null_count == len(col):
        return pa.nulls(len(col))
    if mode == "numeric" and pa.types.is_floating(col.type):
        return _decode_numeric(col, ctx["sst"]())
    if mode == "numeric" and pa.types.is_string(col.type):
        # pure inline/formula strings are fine; an encoded number coerced to text is not
        if pc.any(pc.starts_with(col, "-%d" % NUM_PREFIX)).as_py():
            raise _Retry()
        return col
    if mode == "numeric":
        # date/bool/... column: cannot tell whether encoded numbers were coerced -> redo exactly
        raise _Retry()
    if mode == "marker":
        return _decode_marker(col, ctx["sst"]())
    return col


_WCTX = None


def _set_wctx(wctx):
    global _WCTX
    _WCTX = wctx


def _worker_entry(args):
    return _worker_parse(tuple(args) + (_WCTX,))


def _malloc_trim():
    """Give freed heap pages back to the OS between chunks (glibc only; no-op elsewhere)."""
    global _LIBC
    if _LIBC is None:
        try:
            import ctypes
            _LIBC = ctypes.CDLL("libc.so.6")
        except OSError:
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC = None


class _Retry(Exception):
    pass


# ----------------------------------------------------------------------------- assembly
def _unify(chunks_cols):
    width = max(len(c) for c in chunks_cols)
    out = []
    for k in range(width):
        parts = [c[k] if k < len(c) else None for c in chunks_cols]
        types = {p.type for p in parts if p is not None and not pa.types.is_null(p.type)}
        if len(types) == 1:
            t = types.pop()
        elif not types:
            t = pa.null()
        else:
            t = pa.string()
        lens = [len(c[0]) for c in chunks_cols]
        arrs = []
        for p, n in zip(parts, lens):
            if p is None or pa.types.is_null(p.type):
                arrs.append(pa.nulls(n, t))
            elif p.type != t:
                arrs.append(pc.cast(p, t))
            else:
                arrs.append(p)
        out.append(pa.chunked_array(arrs, t))
    return out


def read_sheet_chunked(path, sheet_name, chunk_rows=100_000, mode="numeric", header=False,
                       to_pandas=True, stats=None, trim_memory=False, workers=0, max_ahead=1,
                       min_chunk_bytes=1 << 20):
    """Read a sheet. Returns (DataFrame | pyarrow.Table, first_row_number).

    header=False: raw grid (like fastexcel header_row=None), columns 0..N-1.
    header=True : first row -> column names (like fastexcel's default header_row=0); dtypes are
                  then inferred from the data rows only (float64 for pure-number columns).
    first_row_number is the 1-based Excel row of the first data row of the DataFrame.
    mode: "numeric" (fastest), "marker", "sst" (see module doc).
    """
    stats = {} if stats is None else stats
    zf = zipfile.ZipFile(path)
    part, sst_part, styles_part, workbook_pr = locate_parts(zf, sheet_name)
    styles = zf.read(styles_part) if styles_part else None
    cache = {}

    def sst():
        if "sst" not in cache:
            cache["sst"] = load_shared_strings(zf, sst_part)
        return cache["sst"]

    def sst_raw():
        return zf.read(sst_part) if sst_part else None

    ctx = dict(mode=mode, styles=styles, workbook_pr=workbook_pr, sst=sst, sst_raw=sst_raw,
               header=header, stats=stats)
    chunks, first_row, prev, names = [], None, None, None

    def consume(rb, mode, prolog, rows, first_r, last_r, prev):
        nonlocal first_row, names
        try:
            cols, first, hdr = finish_chunk(rb, mode, last_r, prev, ctx)
        except _Retry:
            stats["retries"] = stats.get("retries", 0) + 1
            cols, first, hdr = parse_chunk(prolog, rows, first_r, last_r, prev, dict(ctx, mode="marker"))
        if first_row is None:
            first_row, names = first, hdr
        chunks.append(cols)

    if workers and workers > 1:
        import multiprocessing as mp
        from collections import deque
        wctx = dict(mode=mode, styles=styles, workbook_pr=workbook_pr, sst=None,
                    sst_raw=lambda: None, header=header, stats={})
        pool = mp.get_context("fork").Pool(workers, initializer=_set_wctx, initargs=(wctx,))
        pending = deque()
        worker_peak = 0
        try:
            for prolog, rows, first_r, last_r in iter_row_chunks(zf, part, chunk_rows, min_bytes=min_chunk_bytes):
                if mode == "sst":
                    raise ValueError("workers>1 supports numeric/marker modes")
                pending.append((pool.apply_async(_worker_entry, ((prolog, rows, first_r, last_r, prev),)),
                                prolog, rows, first_r, last_r, prev))
                prev = last_r
                while len(pending) >= workers + max_ahead:
                    fut, *meta = pending.popleft()
                    rb, m, wp = fut.get()
                    worker_peak = max(worker_peak, wp)
                    consume(rb, m, *meta)
                    del meta, rb
            while pending:
                fut, *meta = pending.popleft()
                rb, m, wp = fut.get()
                worker_peak = max(worker_peak, wp)
                consume(rb, m, *meta)
                del meta, rb
        finally:
            pool.terminate()
        stats["worker_peak_mb"] = worker_peak / 1024
    else:
        for prolog, rows, first_r, last_r in iter_row_chunks(zf, part, chunk_rows, min_bytes=min_chunk_bytes):
            rb, m = parse_raw(prolog, rows, first_r, last_r, prev, ctx)
            consume(rb, m, prolog, rows, first_r, last_r, prev)
            del rows, rb
            if trim_memory:
                _malloc_trim()
            prev = last_r
    if not chunks:
        return (None, None)
    cols = _unify(chunks)
    del chunks
    # like calamine: drop leading all-empty columns and trailing all-empty rows
    while cols and cols[0].null_count == len(cols[0]) and not (names and names[0] is not None):
        cols.pop(0)
        if names:
            names.pop(0)
    n = len(cols[0]) if cols else 0
    if cols:
        valid = np.zeros(n, bool)
        for c in cols:
            valid |= c.is_valid().to_numpy(zero_copy_only=False)
        nz = np.flatnonzero(valid)
        n = int(nz[-1]) + 1 if len(nz) else 0
    if names is not None:
        first_row += 1
        labels = [str(v) if v is not None else f"__UNNAMED__{i}" for i, v in enumerate(names)]
        labels += [f"__UNNAMED__{i}" for i in range(len(labels), len(cols))]
    else:
        labels = [str(i) for i in range(len(cols))]
    table = pa.table([c.slice(0, n) for c in cols], names=labels[:len(cols)])
    del cols
    if not to_pandas:
        return table, first_row
    df = table.to_pandas(self_destruct=True, split_blocks=True)
    if names is None:
        df.columns = range(df.shape[1])
    return df, first_row
