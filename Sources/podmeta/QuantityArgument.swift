import ArgumentParser
import PodmetaCore

/// A flag that takes a Kubernetes quantity (`--divisor 1Mi`), parsed as the API server does.
struct QuantityArgument: ExplainedArgument {
    var quantity: Quantity

    private init(quantity: Quantity) {
        self.quantity = quantity
    }

    /// For `transform:`, so that the parse error says what is wrong with the value.
    @Sendable static func parse(_ text: String) throws(QuantityError) -> QuantityArgument {
        QuantityArgument(quantity: try Quantity(parsing: text))
    }
}
