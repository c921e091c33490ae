import Glibc
import PodmetaSystem

/// The posix_spawn primitive shared by `ProcessSpawner` and `ExecSupervisor`.
///
/// posix_spawn rather than fork: forking a multi-threaded Swift process and running Swift
/// code in the child before exec is unsafe (locks held by other threads stay locked), while
/// glibc's posix_spawn uses a CLONE_VFORK child that runs only async-signal-safe steps and
/// reports exec failures through its return value.
enum PosixSpawn {
    /// The parent's ends of the pipes created for a child, -1 when not piped.
    struct Launched {
        var pid: pid_t
        var path: String
        var standardInput: Int32 = -1
        var standardOutput: Int32 = -1
        var standardError: Int32 = -1
    }

    static func launch(
        arguments: [String], environment: [String: String],
        standardInput: ProcessSpec.Input, standardOutput: ProcessSpec.Output, standardError: ProcessSpec.Output,
        newProcessGroup: Bool
    ) throws(SpawnError) -> Launched {
        let name = arguments.first ?? ""
        guard !arguments.isEmpty else {
            throw SpawnError(command: "", kind: .invalidCommand(reason: "no program was given"))
        }
        if let index = CStringArray.firstWithNUL(arguments) {
            throw SpawnError(command: name, kind: .invalidCommand(reason: "argument \(index) contains a NUL byte"))
        }
        let entries = CStringArray.environment(environment)
        if let index = CStringArray.firstWithNUL(entries) {
            let variable = entries[index].prefix { $0 != "=" }
            throw SpawnError(
                command: name, kind: .invalidCommand(reason: "environment variable \(variable) contains a NUL byte"))
        }
        if environment.keys.contains(where: { $0.isEmpty || $0.contains("=") }) {
            throw SpawnError(
                command: name, kind: .invalidCommand(reason: "an environment variable name is empty or contains \"=\""))
        }
        let path = try ExecutableResolver.resolve(name, searchPath: ExecutableResolver.searchPath(for: environment))
            .get()

        var launched = Launched(pid: 0, path: path)
        // Child-side pipe ends, closed in the parent once the child has them.
        var childEnds: [Int32] = []
        func fail(_ call: String, _ code: Int32) -> SpawnError {
            for fd in childEnds + [launched.standardInput, launched.standardOutput, launched.standardError] {
                LinuxSystemCalls.close(fd)
            }
            return SpawnError(command: name, path: path, kind: .systemCall(name: call, errno: code))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        switch standardInput {
        case .inherit:
            break
        case .null:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .bytes:
            guard let pipe = LinuxSystemCalls.closeOnExecPipe() else { throw fail("pipe", errno) }
            childEnds.append(pipe.read)
            launched.standardInput = pipe.write
            LinuxSystemCalls.setNonBlocking(pipe.write)
            posix_spawn_file_actions_adddup2(&actions, pipe.read, 0)
        }
        for (target, output) in [(Int32(1), standardOutput), (Int32(2), standardError)] {
            switch output {
            case .inherit:
                break
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .capture, .lines:
                guard let pipe = LinuxSystemCalls.closeOnExecPipe() else { throw fail("pipe", errno) }
                childEnds.append(pipe.write)
                LinuxSystemCalls.setNonBlocking(pipe.read)
                if target == 1 { launched.standardOutput = pipe.read } else { launched.standardError = pipe.read }
                posix_spawn_file_actions_adddup2(&actions, pipe.write, target)
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with every signal at its default action and none blocked, whatever
        // this process did (swift-nio ignores SIGPIPE, the supervisor installs handlers, our
        // helper threads block signals): a child must not inherit an ignored SIGPIPE or SIGTERM.
        var everything = sigset_t()
        sigfillset(&everything)
        var nothing = sigset_t()
        sigemptyset(&nothing)
        posix_spawnattr_setsigdefault(&attributes, &everything)
        posix_spawnattr_setsigmask(&attributes, &nothing)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = CStringArray(arguments)
        let envp = CStringArray(entries)
        var pid: pid_t = 0
        let result = argv.withUnsafeArray { argvPointer in
            envp.withUnsafeArray { envpPointer in
                posix_spawn(&pid, path, &actions, &attributes, argvPointer, envpPointer)
            }
        }
        for fd in childEnds { LinuxSystemCalls.close(fd) }
        childEnds = []
        guard result == 0 else {
            switch result {
            case EAGAIN, ENOMEM, ENOSYS, EINVAL:
                throw fail("posix_spawn", result)
            default:
                _ = fail("posix_spawn", result)  // closes our pipe ends
                throw SpawnError.execFailure(command: name, path: path, errno: result)
            }
        }
        launched.pid = pid
        return launched
    }
}
