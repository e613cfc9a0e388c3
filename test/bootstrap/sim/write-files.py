#!/usr/bin/python3
"""Writes the write_files of a #cloud-config under a root directory with
cloud-init's own write_files module (decoding, permissions, owners).

usage: write-files.py USER_DATA ROOT
"""
import inspect
import os
import sys

import yaml
from cloudinit.config import cc_write_files

user_data, root = sys.argv[1], sys.argv[2]
with open(user_data, encoding="utf-8") as f:
    cfg = yaml.safe_load(f)
files = []
for entry in cfg.get("write_files", []):
    entry = dict(entry)
    entry["path"] = os.path.join(root, entry["path"].lstrip("/"))
    files.append(entry)
params = inspect.signature(cc_write_files.write_files).parameters
if "ssl_details" in params:  # newer cloud-init
    cc_write_files.write_files("write_files", files, "root:root", None)
else:
    cc_write_files.write_files("write_files", files, "root:root")
print(len(files))
