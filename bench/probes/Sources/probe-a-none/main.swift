// Probe a: the Swift runtime and stdlib alone. Idles until a signal ends it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

print("ready \(CommandLine.arguments.count)")
while true { pause() }
