extension String {
    /// Padded with spaces to `width` characters (never truncated), for aligned columns.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
