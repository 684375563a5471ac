"""Lists a ZIP file's entries as an independent reader would, and extracts them.

Run with Debian's Python (/usr/bin/python3 read-zip.py FILE.zip [FOLDER]): Python's own zipfile shares
no code with the writer. Prints JSON: each entry's name and size, in the order the ZIP holds them, and
whether every entry's checksum is right; with FOLDER, extracts the entries there.
"""
import json
import sys
import zipfile


def read(path, folder=None):
    with zipfile.ZipFile(path) as archive:
        entries = [{"name": info.filename, "size": info.file_size} for info in archive.infolist()]
        damaged = archive.testzip()
        if folder:
            archive.extractall(folder)
    return {"entries": entries, "intact": damaged is None}


if __name__ == "__main__":
    json.dump(read(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None), sys.stdout, ensure_ascii=False)
