import Testing

/// Every suite of this target is nested here so that they all run one at a time: they
/// spawn processes, send real signals to this process, install signal handlers and turn the
/// child-subreaper attribute on and off, all of which is process-wide state.
@Suite(.serialized)
struct PodmetaProcessTests {}
