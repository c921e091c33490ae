import Glibc

/// `podmeta exec` without supervision: execve the command in place, keeping our pid.
enum ProcessReplacement {
    /// Replaces this process with `command`. Returns only when that failed, with the reason.
    ///
    /// Before execve the signal mask is cleared and ignored signals are reset to their
    /// defaults: exec keeps both, and the program must not start with SIGPIPE ignored or
    /// SIGTERM blocked because of something this process did. (Handled signals are reset by
    /// exec itself.) When execve fails, both are put back as they were.
    static func execute(command: [String], environment: [String: String]) -> SpawnError {
        let name = command.first ?? ""
        guard !command.isEmpty else {
            return SpawnError(command: "", kind: .invalidCommand(reason: "no program was given"))
        }
        if let index = CStringArray.firstWithNUL(command) {
            return SpawnError(command: name, kind: .invalidCommand(reason: "argument \(index) contains a NUL byte"))
        }
        let entries = CStringArray.environment(environment)
        if let index = CStringArray.firstWithNUL(entries) {
            let variable = entries[index].prefix { $0 != "=" }
            return SpawnError(
                command: name, kind: .invalidCommand(reason: "environment variable \(variable) contains a NUL byte"))
        }
        let path: String
        switch ExecutableResolver.resolve(name, searchPath: ExecutableResolver.searchPath(for: environment)) {
        case .success(let resolved): path = resolved
        case .failure(let error): return error
        }
        var resetIgnored: [(Int32, sigaction)] = []
        for signal in 1..<NSIG where signal != SIGKILL && signal != SIGSTOP {
            var current = sigaction()
            if sigaction(signal, nil, &current) == 0,
                unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
                    == unsafeBitCast(SIG_IGN, to: Int.self)
            {
                var reset = sigaction()
                reset.__sigaction_handler.sa_handler = SIG_DFL
                if sigaction(signal, &reset, nil) == 0 { resetIgnored.append((signal, current)) }
            }
        }
        var nothing = sigset_t()
        sigemptyset(&nothing)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_SETMASK, &nothing, &previousMask)

        let argv = CStringArray(command)
        let envp = CStringArray(entries)
        let code = argv.withUnsafeArray { argvPointer in
            envp.withUnsafeArray { envpPointer in
                execve(path, argvPointer, envpPointer)
                return errno
            }
        }
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        for (signal, previous) in resetIgnored {
            var action = previous
            sigaction(signal, &action, nil)
        }
        return SpawnError.execFailure(command: name, path: path, errno: code)
    }
}
