/// The module grid while a QR code is drawn: function patterns (finders, timing, alignment, format and version
/// information) first, then the codewords in the standard's zig-zag, then a mask over the data modules only.
struct Matrix {
    let version: Int
    let size: Int
    var modules: [Bool]
    private var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(6, index, index % 2 == 0)
            setFunction(index, 6, index % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(x, y) }
        let positions = alignmentPositions
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() {
                let nearFinder = (i == 0 && j == 0) || (i == 0 && j == positions.count - 1) || (i == positions.count - 1 && j == 0)
                if !nearFinder { drawAlignment(x, y) }
            }
        }
        drawFormatBits(mask: 0)  // reserves the area; drawn again with the chosen mask
        drawVersion()
    }

    private mutating func drawFinder(_ x: Int, _ y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let distance = max(abs(dx), abs(dy))
                let (column, row) = (x + dx, y + dy)
                if (0..<size).contains(column), (0..<size).contains(row) { setFunction(column, row, distance != 2 && distance != 4) }
            }
        }
    }

    private mutating func drawAlignment(_ x: Int, _ y: Int) {
        for dy in -2...2 {
            for dx in -2...2 { setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
        }
    }

    private var alignmentPositions: [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return [6] + (0..<(count - 1)).map { size - 7 - $0 * step }.reversed()
    }

    /// Level M's two format bits (00) and the mask, with their BCH error correction, in both copies; and the dark module.
    mutating func drawFormatBits(mask: Int) {
        let data = mask  // level M's indicator is 0b00
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0...5 { setFunction(8, index, bit(index)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for index in 9..<15 { setFunction(14 - index, 8, bit(index)) }
        for index in 0..<8 { setFunction(size - 1 - index, 8, bit(index)) }
        for index in 8..<15 { setFunction(8, size - 15 + index, bit(index)) }
        setFunction(8, size - 8, true)
    }

    private mutating func drawVersion() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let (a, b) = (size - 11 + index % 3, index / 3)
            setFunction(a, b, dark)
            setFunction(b, a, dark)
        }
    }

    /// Two columns at a time from the right, up then down, skipping the vertical timing pattern.
    mutating func drawCodewords(_ data: [UInt8]) {
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for offset in 0..<2 {
                    let x = right - offset
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    if !isFunction[y * size + x], bitIndex < data.count * 8 {
                        modules[y * size + x] = (data[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
            }
            right -= 2
        }
    }

    /// This matrix with `mask` applied to the data modules and named in the format bits.
    func masked(_ mask: Int) -> Matrix {
        var copy = self
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                let invert =
                    switch mask {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (x / 3 + y / 2) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                if invert { copy.modules[y * size + x].toggle() }
            }
        }
        copy.drawFormatBits(mask: mask)
        return copy
    }

    /// The standard's four penalty rules: runs of five or more, 2×2 blocks, finder-like patterns, and imbalance.
    var penalty: Int {
        func dark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }
        var total = 0
        for transposed in [false, true] {
            for line in 0..<size {
                let cells = (0..<size).map { transposed ? dark(line, $0) : dark($0, line) }
                var run = 1
                for index in 1...size {
                    if index < size, cells[index] == cells[index - 1] {
                        run += 1
                    } else {
                        if run >= 5 { total += 3 + (run - 5) }
                        run = 1
                    }
                }
                // 1:1:3:1:1 dark modules with four light ones on either side.
                let finder = [true, false, true, true, true, false, true]
                for start in 0...(size - 7) where Array(cells[start..<start + 7]) == finder {
                    let lightBefore = start >= 4 && !cells[(start - 4)..<start].contains(true)
                    let lightAfter = start + 11 <= size && !cells[(start + 7)..<(start + 11)].contains(true)
                    if lightBefore || lightAfter { total += 40 }
                }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) where dark(x, y) == dark(x + 1, y) && dark(x, y) == dark(x, y + 1) && dark(x, y) == dark(x + 1, y + 1) {
                total += 3
            }
        }
        let darkCount = modules.filter { $0 }.count
        // Each 5 % the dark share is away from half costs 10 (a side is odd, so the share is never exactly half).
        let deviation = abs(darkCount * 20 - modules.count * 10)
        total += max(0, (deviation + modules.count - 1) / modules.count - 1) * 10
        return total
    }
}
