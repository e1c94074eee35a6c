extension QRCode {
    /// The code as an inline SVG: one path of unit squares with the standard's four-module quiet zone, scaled by CSS
    /// (`width`), crisp at any size, with `label` as its text alternative. `label` is escaped here.
    public func svg(label: String, width: Int = 240) -> String {
        let side = size + 8
        var path = ""
        path.reserveCapacity(modules.count * 6)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        let escaped = label.map { character -> String in
            switch character {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            default: String(character)
            }
        }.joined()
        return """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="\(escaped)" width="\(width)" height="\(width)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }
}
