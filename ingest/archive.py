"""Reading zip archives that may have been crafted to harm: a safe reader for every parser.

Exports often come zipped (a WhatsApp chat with its media, a Telegram HTML export). A zip handed
in by a source or found on a seized phone is untrusted, so `SafeZip` refuses, with
`ingest.Rejected` and a reason a reporter can act on:

- a file that is not a zip archive, or one that is truncated or damaged;
- a member whose name would climb out of its folder (`..`), or is absolute (`/x`, `C:\\x`,
  `\\\\server\\x`), holds a NUL or control character, or appears twice;
- an encrypted member (a password-protected zip), or one in a compression method Python lacks;
- a member whose declared size is above a limit, or whose compression ratio is absurd (a zip bomb:
  300 MB of zeros compresses to 300 KB);
- a member that yields more bytes than its header declared, or more than the caller's limit:
  the bytes really read are counted and reading stops there, whatever the header says.

It never extracts anything to disk: members are streamed (`open`) or read into memory (`read`),
and names from inside the archive never choose where anything is written.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import Rejected

MiB = 1 << 20
GiB = 1 << 30

DEFAULT_MAX_MEMBER_BYTES = 4 * GiB   # no single member above this, whatever the caller asks
DEFAULT_MAX_RATIO = 100              # uncompressed / compressed, for members above RATIO_FLOOR
DEFAULT_RATIO_FLOOR = 1 * MiB        # small members may compress well (a text of spaces)
DEFAULT_MAX_MEMBERS = 100_000

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def human_size(n: int) -> str:
    """Bytes as a person reads them: 300 MB, 12 KB, 512 bytes."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{n} bytes"


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name is refused, or None when it is a plain relative path."""
    if not name:
        return "is empty"
    if _CONTROL.search(name):
        return "holds a NUL or control character"
    norm = name.replace("\\", "/")
    if norm.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(norm):
        return "starts with a drive letter"
    if any(part == ".." for part in norm.split("/")):
        return "climbs out of its folder with '..'"
    return None


@dataclass(frozen=True)
class Member:
    """One entry of the archive's table of contents, as its header declares it."""

    name: str
    size: int               # declared uncompressed size
    compressed_size: int
    is_dir: bool


class SafeZip:
    """A zip archive opened for reading with every check above; use it as a context manager.

    `max_member_bytes` bounds every member (and `open`/`read` may lower it per call);
    `max_ratio` applies to members larger than `ratio_floor`. The whole table of contents is
    checked when the archive is opened, so a hostile member is refused even if no one reads it.
    """

    def __init__(self, path: str | Path, *, max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
                 max_ratio: float = DEFAULT_MAX_RATIO, ratio_floor: int = DEFAULT_RATIO_FLOOR,
                 max_members: int = DEFAULT_MAX_MEMBERS):
        self.path = Path(path)
        self.max_member_bytes = max_member_bytes
        self.max_ratio = max_ratio
        self.ratio_floor = ratio_floor
        self.max_members = max_members
        self._zip = self._open_zip()
        try:
            self._infos = self._check_contents()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    # -- opening and checking ----------------------------------------------------------------

    def _open_zip(self) -> zipfile.ZipFile:
        try:
            with open(self.path, "rb") as f:
                magic = f.read(4)
        except OSError as exc:
            raise Rejected(f"it could not be read ({exc.strerror or exc})") from None
        if not magic:
            raise Rejected("the file is empty")
        try:
            return zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
                NotImplementedError) as exc:  # NotImplementedError: "zip file version 8.4"
            if magic in _ZIP_MAGIC:
                raise Rejected(f"the zip archive is truncated or damaged ({exc}): copy or "
                               "export it again") from None
            raise Rejected("it is not a zip archive, whatever its name says (its first bytes are "
                           "not a zip header)") from None

    def _check_contents(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.max_members:
            raise Rejected(f"the zip archive holds {len(infos):,} members, more than the "
                           f"{self.max_members:,} Recoupe accepts in one archive")
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            why = unsafe_name_reason(info.orig_filename)
            if why:
                raise Rejected(f"the zip archive holds a member named {info.orig_filename!r} that "
                               f"{why}: refused, as a crafted archive could be")
            if info.filename in by_name:
                raise Rejected(f"the zip archive holds two members named {info.filename!r}: "
                               "refused, as which one is meant cannot be told")
            by_name[info.filename] = info
            if info.is_dir():
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                raise Rejected(f"the zip archive member {info.filename!r} is a symbolic link: "
                               "refused, as a crafted archive could point it anywhere")
            if info.flag_bits & 0x1:
                raise Rejected(f"the zip archive member {info.filename!r} is encrypted "
                               "(password-protected): unzip it with its password and import "
                               "what it holds")
            self._check_size(info, self.max_member_bytes)
            if (info.file_size > self.ratio_floor
                    and info.file_size > self.max_ratio * max(info.compress_size, 1)):
                ratio = info.file_size / max(info.compress_size, 1)
                raise Rejected(f"the zip archive member {info.filename!r} would expand "
                               f"{ratio:,.0f} times ({human_size(info.compress_size)} to "
                               f"{human_size(info.file_size)}): refused as a possible zip bomb")
        return by_name

    @staticmethod
    def _check_size(info: zipfile.ZipInfo, limit: int) -> None:
        if info.file_size > limit:
            raise Rejected(f"the zip archive member {info.filename!r} declares "
                           f"{human_size(info.file_size)}, above the {human_size(limit)} "
                           "limit for it")

    # -- reading -----------------------------------------------------------------------------

    def members(self) -> list[Member]:
        """Every member, files and folders, in the archive's order."""
        return [Member(i.filename, i.file_size, i.compress_size, i.is_dir())
                for i in self._infos.values()]

    def member(self, name: str) -> Member:
        info = self._info(name)
        return Member(info.filename, info.file_size, info.compress_size, info.is_dir())

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise Rejected(f"the zip archive has no member named {name!r}") from None

    def open(self, name: str, *, limit: int | None = None) -> io.BufferedReader:
        """A binary stream of one member that never yields more than `limit` bytes.

        Reading past the limit, or past the size the header declared, raises `Rejected`; so does
        a member whose data turns out to be damaged (bad CRC, broken deflate stream).
        """
        info = self._info(name)
        if info.is_dir():
            raise Rejected(f"the zip archive member {name!r} is a folder, not a file")
        cap = min(limit if limit is not None else self.max_member_bytes, self.max_member_bytes)
        self._check_size(info, cap)
        try:
            raw = self._zip.open(info)
        except NotImplementedError as exc:
            raise Rejected(f"the zip archive member {name!r} uses a compression method Recoupe "
                           f"cannot read ({exc})") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            # ValueError: a local header whose name is not the UTF-8 its flag promises
            raise Rejected(f"the zip archive member {name!r} is damaged ({exc})") from None
        return io.BufferedReader(_Bounded(raw, name, min(cap, info.file_size)), 1 << 16)

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        """A whole member in memory (for small members: a chat text, a sidecar)."""
        with self.open(name, limit=limit) as f:
            return f.read()


class _Bounded(io.RawIOBase):
    """Counts the bytes a member really yields and stops at `cap`, whatever the header says."""

    def __init__(self, raw, name: str, cap: int):
        self.raw = raw
        self.name = name
        self.cap = cap
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = min(len(buffer), self.cap - self.count + 1)  # one byte more reveals an overrun
        try:
            data = self.raw.read(want)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise Rejected(f"the zip archive member {self.name!r} is damaged ({exc})") from None
        self.count += len(data)
        if self.count > self.cap:
            raise Rejected(f"the zip archive member {self.name!r} holds more than "
                           f"{human_size(self.cap)} (its header or the limit for it): reading "
                           "stopped there")
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()
