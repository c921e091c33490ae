import Glibc

/// What one inotify event means for the consumer. Pure: the watcher thread feeds it raw
/// events; the tests feed it synthetic ones (overflow cannot be provoked reliably).
struct InotifyEventClassifier {
    /// What the watcher currently watches (there is only ever one watch).
    enum Arming: Equatable {
        /// The volume root itself.
        case root(wd: Int32)
        /// The nearest existing ancestor of a missing root; `next` is the path component
        /// below it that leads to the root.
        case ancestor(wd: Int32, next: String)
        /// Nothing (no directory on the way to the root could be watched).
        case none
    }

    enum Meaning: Equatable {
        case ignore
        /// `IN_Q_OVERFLOW`.
        case overflow
        /// `MOVED_TO`/`CREATE ..data`: the kubelet's commit.
        case commit
        /// Any other event on `..data` (deleted, moved away): re-read, the volume is being
        /// torn down or tampered with.
        case dataLinkChanged
        /// A mapped top-level name changed in a plain directory.
        case fileChanged(String)
        /// The watched root was deleted, moved, unmounted, or its watch was dropped.
        case rootLost
        /// Something happened on the way to a missing root: look again.
        case ancestorChanged
    }

    /// Events on the root. Deliberately absent:
    /// - `IN_OPEN`, `IN_ACCESS`, `IN_CLOSE_NOWRITE`: the kubelet opens and reads the old
    ///   files on every sync (60-90 s), and so does every reader of the volume.
    /// - `IN_ATTRIB`: the only sources are fsGroup ownership passes (chmod/chown of the
    ///   root, the timestamp directories and lchown of the symlinks), which change no
    ///   content and always precede a commit that is reported anyway.
    /// - `IN_MODIFY`: fires per write(2); `IN_CLOSE_WRITE` reports the finished write.
    /// `IN_ONLYDIR` makes a root that is not a directory fail with `ENOTDIR`.
    static let rootMask: UInt32 =
        UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM)
        | UInt32(IN_CLOSE_WRITE) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    /// Events on an ancestor of a missing root: the next component appearing, or the
    /// ancestor itself going away.
    static let ancestorMask: UInt32 =
        UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    private static let selfGone: UInt32 =
        UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_IGNORED) | UInt32(IN_UNMOUNT)

    /// Top-level names to report, nil for every name not starting with `..`.
    let mappedNames: Set<String>?

    /// Whether `ROOT/..data` exists, as of the events classified so far: set when the root
    /// is armed, then kept up to date by the events on `..data` themselves. A name event is
    /// so judged by the volume as it was at that event, not as it is when the event is
    /// read (by then the root may have been moved away, or `..data` deleted).
    var dataLinkPresent = false

    init(mappedNames: Set<String>?, dataLinkPresent: Bool = false) {
        self.mappedNames = mappedNames
        self.dataLinkPresent = dataLinkPresent
    }

    mutating func classify(wd: Int32, mask: UInt32, name: String, arming: Arming) -> Meaning {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return .overflow }
        switch arming {
        case .none:
            return .ignore
        case .ancestor(let watched, let next):
            guard wd == watched else { return .ignore }
            if mask & Self.selfGone != 0 { return .ancestorChanged }
            return name == next ? .ancestorChanged : .ignore
        case .root(let watched):
            guard wd == watched else { return .ignore }
            if mask & Self.selfGone != 0 { return .rootLost }
            if name.isEmpty { return .ignore }
            if name == "..data" {
                dataLinkPresent = mask & (UInt32(IN_MOVED_TO) | UInt32(IN_CREATE)) != 0
                return dataLinkPresent ? .commit : .dataLinkChanged
            }
            // `..<timestamp>` directories and `..data_tmp` are the kubelet's scaffolding.
            if name.hasPrefix("..") { return .ignore }
            if let mappedNames, !mappedNames.contains(name) { return .ignore }
            // In a kubelet volume the top-level symlinks are created and removed right
            // after the commit, which was reported; the symlinks themselves never change.
            if dataLinkPresent { return .ignore }
            return .fileChanged(name)
        }
    }
}
