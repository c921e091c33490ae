import Glibc
import PodmetaSystem

/// Root with mount(2) rights: read-only, full-disk and bind-mount situations are built with
/// tmpfs and bind mounts (file modes do not stop root).
package enum MountFixture {
    package static let available: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = TemporaryDirectory("podmeta-mount-probe")
        guard mount("tmpfs", probe.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(probe.path)
        return true
    }()

    /// Mounts a small tmpfs on `path`.
    package static func mountTmpfs(_ path: String, size: String = "256k") throws {
        if mount("tmpfs", path, "tmpfs", 0, "size=\(size)") != 0 { throw ErrnoValue.current }
    }

    package static func remount(_ path: String, readOnly: Bool) throws {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        if mount("tmpfs", path, "tmpfs", flags, nil) != 0 { throw ErrnoValue.current }
    }

    package static func bind(_ source: String, onto target: String) throws {
        if mount(source, target, nil, UInt(MS_BIND), nil) != 0 { throw ErrnoValue.current }
    }

    package static func unmount(_ path: String) {
        umount2(path, Int32(MNT_DETACH))
    }
}
