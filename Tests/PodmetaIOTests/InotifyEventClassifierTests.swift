import Glibc
import Testing

@testable import PodmetaIO

struct InotifyEventClassifierTests {
    typealias Meaning = InotifyEventClassifier.Meaning

    static let rootWD: Int32 = 1
    static let root = InotifyEventClassifier.Arming.root(wd: rootWD)

    static let onRoot: [(mask: Int32, name: String, kubelet: Bool, expected: Meaning)] = [
        // The kubelet's update sequence, event by event.
        (IN_CREATE | IN_ISDIR, "..2026_11_22_01_02_03.3109920630", true, .ignore),
        (IN_CREATE, "..data_tmp", true, .ignore),
        (IN_MOVED_FROM, "..data_tmp", true, .ignore),
        (IN_MOVED_TO, "..data", true, .commit),
        (IN_CREATE, "extra", true, .ignore),
        (IN_DELETE, "dropped", true, .ignore),
        (IN_DELETE | IN_ISDIR, "..2026_11_22_01_02_02.1", true, .ignore),
        // ..data created for the first time, or taken away.
        (IN_CREATE, "..data", false, .commit),
        (IN_DELETE, "..data", true, .dataLinkChanged),
        (IN_MOVED_FROM, "..data", true, .dataLinkChanged),
        // A plain directory.
        (IN_CLOSE_WRITE, "labels", false, .fileChanged("labels")),
        (IN_MOVED_TO, "labels", false, .fileChanged("labels")),
        (IN_MOVED_FROM, "labels", false, .fileChanged("labels")),
        (IN_CREATE, "labels", false, .fileChanged("labels")),
        (IN_DELETE, "labels", false, .fileChanged("labels")),
        (IN_CLOSE_WRITE, "unmapped", false, .ignore),
        // The root itself.
        (IN_DELETE_SELF, "", true, .rootLost),
        (IN_MOVE_SELF, "", true, .rootLost),
        (IN_UNMOUNT, "", true, .rootLost),
        (IN_IGNORED, "", true, .rootLost),
        (IN_Q_OVERFLOW, "", true, .overflow),
    ]

    @Test(arguments: onRoot)
    func classifiesEventsOnTheRoot(_ mask: Int32, _ name: String, _ kubelet: Bool, _ expected: Meaning) {
        var classifier = InotifyEventClassifier(mappedNames: ["labels", "extra", "dropped"], dataLinkPresent: kubelet)
        let wd = mask == IN_Q_OVERFLOW ? -1 : Self.rootWD
        let meaning = classifier.classify(wd: wd, mask: UInt32(bitPattern: mask), name: name, arming: Self.root)
        #expect(meaning == expected)
    }

    @Test func withoutMappedNamesEveryUserNameCounts() {
        var classifier = InotifyEventClassifier(mappedNames: nil)
        let meaning = classifier.classify(wd: 1, mask: UInt32(IN_CLOSE_WRITE), name: "anything", arming: Self.root)
        #expect(meaning == .fileChanged("anything"))
    }

    @Test func eventsOfAnotherWatchAreIgnored() {
        var classifier = InotifyEventClassifier(mappedNames: nil, dataLinkPresent: true)
        let meaning = classifier.classify(wd: 7, mask: UInt32(IN_MOVED_TO), name: "..data", arming: Self.root)
        #expect(meaning == .ignore)
    }

    /// The kubelet mode follows the events on `..data`, in event order: a name event is
    /// judged by the volume as it was then.
    static let sequences: [(start: Bool, events: [(mask: Int32, name: String)], expected: [Meaning])] = [
        // First publication into a plain directory: names after the commit are the kubelet's.
        (
            false, [(IN_CREATE, "..data_tmp"), (IN_MOVED_TO, "..data"), (IN_CREATE, "labels")],
            [.ignore, .commit, .ignore]
        ),
        // rm -rf of a volume: once ..data is gone, names are plain again.
        (
            true, [(IN_DELETE, "labels"), (IN_DELETE, "..data"), (IN_DELETE, "labels")],
            [.ignore, .dataLinkChanged, .fileChanged("labels")]
        ),
        (
            true,
            [
                (IN_MOVED_FROM, "..data"), (IN_CLOSE_WRITE, "labels"), (IN_MOVED_TO, "..data"),
                (IN_CLOSE_WRITE, "labels"),
            ],
            [.dataLinkChanged, .fileChanged("labels"), .commit, .ignore]
        ),
    ]

    @Test(arguments: sequences)
    func followsTheDataLinkThroughASequence(
        _ start: Bool, _ events: [(mask: Int32, name: String)], _ expected: [Meaning]
    ) {
        var classifier = InotifyEventClassifier(mappedNames: nil, dataLinkPresent: start)
        let meanings = events.map {
            classifier.classify(wd: Self.rootWD, mask: UInt32(bitPattern: $0.mask), name: $0.name, arming: Self.root)
        }
        #expect(meanings == expected)
    }

    static let onAncestor: [(mask: Int32, name: String, expected: Meaning)] = [
        (IN_CREATE | IN_ISDIR, "vol", .ancestorChanged),
        (IN_MOVED_TO | IN_ISDIR, "vol", .ancestorChanged),
        (IN_CREATE, "vol", .ancestorChanged),  // a symlink to the volume
        (IN_CREATE | IN_ISDIR, "other", .ignore),
        (IN_DELETE_SELF, "", .ancestorChanged),
        (IN_MOVE_SELF, "", .ancestorChanged),
        (IN_IGNORED, "", .ancestorChanged),
    ]

    @Test(arguments: onAncestor)
    func classifiesEventsOnAnAncestor(_ mask: Int32, _ name: String, _ expected: Meaning) {
        var classifier = InotifyEventClassifier(mappedNames: nil)
        let meaning = classifier.classify(
            wd: 3, mask: UInt32(bitPattern: mask), name: name, arming: .ancestor(wd: 3, next: "vol"))
        #expect(meaning == expected)
    }

    @Test func theRootMaskHasNoReadOrAttributeEvents() {
        let mask = InotifyEventClassifier.rootMask
        for unwanted in [IN_OPEN, IN_ACCESS, IN_CLOSE_NOWRITE, IN_ATTRIB, IN_MODIFY] {
            #expect(mask & UInt32(unwanted) == 0)
        }
        for wanted in [IN_MOVED_TO, IN_CREATE, IN_DELETE, IN_MOVED_FROM, IN_CLOSE_WRITE, IN_DELETE_SELF, IN_MOVE_SELF] {
            #expect(mask & UInt32(wanted) != 0)
        }
    }

    @Test func parsesFDInfo() {
        let text = """
            pos:\t0
            flags:\t02000000
            mnt_id:\t27
            ino:\t1057
            inotify wd:1 ino:2a1 sdev:fe00000 mask:1000fc8 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:a102000000000000
            inotify wd:1f ino:10 sdev:fe00000 mask:1000fc8 ignored_mask:0
            """
        let watches = InotifyDescriptorLocator.parseFDInfo(text)
        #expect(watches.map(\.wd) == [1, 31])
        #expect(watches.map(\.inode) == [0x2a1, 0x10])
    }
}
