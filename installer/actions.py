"""What every step does to the machine goes through here: each change is printed, skipped when
already so (idempotent), only announced in a dry run, and recorded in the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from installer.layout import USER, Layout


class StepFailedError(RuntimeError):
    """A step cannot go on; the message tells the technician what to do."""


@dataclass
class Owner:
    """A user and group id under the prefix (from its /etc/passwd, not this machine's)."""

    name: str
    uid: int
    gid: int


@dataclass
class Context:
    """One installer run: where it writes, whether it only pretends, and what it changed."""

    layout: Layout
    dry_run: bool = False
    say: Callable[[str], None] = print
    manifest: dict[str, dict] = field(default_factory=dict)
    changed: int = 0

    # ---- owners -------------------------------------------------------------------------------
    def owner(self, name: str) -> Owner | None:
        """The user `name` as the prefix's passwd file knows it; None when it does not exist yet."""
        passwd = self.layout.host("/etc/passwd")
        if not passwd.exists():
            return None
        for line in passwd.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split(":")
            if len(parts) >= 4 and parts[0] == name:
                return Owner(name, int(parts[2]), int(parts[3]))
        return None

    def kiosk_owner(self) -> Owner | None:
        """The kiosk user (None before the user step ran)."""
        return self.owner(USER)

    # ---- files --------------------------------------------------------------------------------
    def write(
        self, target: PurePosixPath, content: str | bytes, mode: int = 0o644, owner: str = "root"
    ) -> bool:
        """Make `target` hold exactly `content` with `mode` and `owner`; True when something changed."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = self.layout.host(target)
        same = path.is_file() and not path.is_symlink() and path.read_bytes() == data
        self._record(target, data, mode, owner)
        if same and self._mode_and_owner_right(path, mode, owner):
            self.say(f"  未变   {target}")
            return False
        if self.dry_run:
            self.say(f"  [演练] 将写入 {target}")
            self.changed += 1
            return True
        existed = path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.installer-tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self._apply_mode_and_owner(temporary, mode, owner)
        os.replace(temporary, path)
        self.say(f"  {'更新' if existed else '写入'}   {target}")
        self.changed += 1
        return True

    def adopt(self, target: PurePosixPath, mode: int, owner: str) -> None:
        """A file made by the kiosk's own code (a key): give it its mode and owner and record it."""
        path = self.layout.host(target)
        if self.dry_run and not path.exists():
            self.say(f"  [演练] 将生成 {target}")
            self.changed += 1
            return
        if not self._mode_and_owner_right(path, mode, owner):
            if self.dry_run:
                self.say(f"  [演练] 将设置 {target} 的权限")
                self.changed += 1
            else:
                self._apply_mode_and_owner(path, mode, owner)
                self.say(f"  权限   {target} {mode:o} {owner}")
                self.changed += 1
        self._record(target, path.read_bytes(), mode, owner)

    def directory(self, target: PurePosixPath, mode: int = 0o755, owner: str = "root") -> None:
        """Make sure the folder exists with `mode` and `owner`."""
        path = self.layout.host(target)
        if path.is_dir() and self._mode_and_owner_right(path, mode, owner):
            return
        if self.dry_run:
            self.say(f"  [演练] 将建立目录 {target}")
            self.changed += 1
            return
        path.mkdir(parents=True, exist_ok=True)
        self._apply_mode_and_owner(path, mode, owner)
        self.say(f"  目录   {target}")
        self.changed += 1

    def symlink(self, target: PurePosixPath, points_to: str) -> None:
        """Make `target` a symbolic link to `points_to`, replacing it atomically."""
        path = self.layout.host(target)
        self.manifest[str(target)] = {"link": points_to}
        if path.is_symlink() and os.readlink(path) == points_to:
            self.say(f"  未变   {target} → {points_to}")
            return
        if self.dry_run:
            self.say(f"  [演练] 将链接 {target} → {points_to}")
            self.changed += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.installer-tmp")
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(points_to)
        os.replace(temporary, path)
        self.say(f"  链接   {target} → {points_to}")
        self.changed += 1

    def remove(self, target: PurePosixPath) -> None:
        """Delete a file or link the installer made (and forget it)."""
        path = self.layout.host(target)
        self.manifest.pop(str(target), None)
        if not (path.exists() or path.is_symlink()):
            return
        if self.dry_run:
            self.say(f"  [演练] 将删除 {target}")
            self.changed += 1
            return
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        self.say(f"  删除   {target}")
        self.changed += 1

    def own_tree(self, target: PurePosixPath, owner: str, keep: tuple[PurePosixPath, ...] = ()) -> None:
        """Give every file below `target` to `owner` (after root made some there), except the
        folders in `keep`, which stay root's."""
        who = self._who(owner)
        top = self.layout.host(target)
        if self.dry_run or who is None or os.geteuid() != 0 or not top.is_dir():
            return
        kept = {self.layout.host(path) for path in keep}
        for root, dirs, files in os.walk(top):
            dirs[:] = [name for name in dirs if Path(root, name) not in kept]
            for name in [*dirs, *files]:
                os.lchown(os.path.join(root, name), who.uid, who.gid)
        os.chown(top, who.uid, who.gid)

    # ---- commands -----------------------------------------------------------------------------
    def command(
        self, argv: Sequence[str], check: bool = True, quiet: bool = False
    ) -> subprocess.CompletedProcess | None:
        """Run a command (announced only in a dry run); StepFailedError with its output if it fails."""
        shown = " ".join(argv)
        if self.dry_run:
            self.say(f"  [演练] 将执行 {shown}")
            self.changed += 1
            return None
        if not quiet:
            self.say(f"  执行   {shown}")
        result = subprocess.run(list(argv), capture_output=True, text=True)
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise StepFailedError(f"命令失败（{result.returncode}）：{shown}\n    " + "\n    ".join(detail))
        return result

    # ---- manifest -----------------------------------------------------------------------------
    def load_manifest(self) -> None:
        """Read what earlier runs wrote (an upgrade or uninstall works from it)."""
        path = self.layout.host(self.layout.manifest)
        if path.exists():
            self.manifest.update(json.loads(path.read_text(encoding="utf-8")))

    def save_manifest(self) -> None:
        """Write the manifest itself (root-only: it lists where the keys are)."""
        if self.dry_run:
            return
        path = self.layout.host(self.layout.manifest)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)

    def _record(self, target: PurePosixPath, data: bytes, mode: int, owner: str) -> None:
        self.manifest[str(target)] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "mode": f"{mode:o}",
            "owner": owner,
        }

    # ---- modes and owners ---------------------------------------------------------------------
    def _who(self, owner: str) -> Owner | None:
        """`user` or `user:group` (the group's id from the prefix's /etc/group)."""
        name, _, group = owner.partition(":")
        who = Owner("root", 0, 0) if name == "root" else self.owner(name)
        if who is None or not group:
            return who
        gid = self.group_id(group)
        return None if gid is None else Owner(owner, who.uid, gid)

    def group_id(self, name: str) -> int | None:
        """A group's id as the prefix's /etc/group knows it."""
        path = self.layout.host("/etc/group")
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                parts = line.split(":")
                if len(parts) >= 3 and parts[0] == name:
                    return int(parts[2])
        return None

    def _mode_and_owner_right(self, path: Path, mode: int, owner: str) -> bool:
        info = path.stat()
        if info.st_mode & 0o7777 != mode:
            return False
        who = self._who(owner)
        return who is None or os.geteuid() != 0 or (info.st_uid, info.st_gid) == (who.uid, who.gid)

    def _apply_mode_and_owner(self, path: Path, mode: int, owner: str) -> None:
        who = self._who(owner)
        if who is None:
            raise StepFailedError(f"用户 {owner} 还不存在：请先运行 user 步骤")
        if os.geteuid() == 0 and who is not None:
            os.chown(path, who.uid, who.gid)
        os.chmod(path, mode)
