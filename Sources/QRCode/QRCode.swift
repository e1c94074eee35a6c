/// A QR code (ISO/IEC 18004) for a short text, drawn on the server so an authenticator app can scan its secret without
/// the page loading anything (the portal's Content-Security-Policy allows no script from elsewhere). Byte mode, error
/// correction level M (15 %), the smallest version that holds the text, the mask with the lowest penalty — as
/// authenticator QR codes are made. No package in our mirror draws QR codes; the construction follows the standard and
/// Project Nayuki's reference description of it, and the tests decode what it draws with an independent reader.
public struct QRCode: Sendable, Equatable {
    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    public let version: Int
    public let mask: Int
    /// Row-major: `modules[y * size + x]`, true for dark.
    public let modules: [Bool]

    public enum Failure: Error, Equatable {
        /// More than version 40 holds at level M (2,331 bytes).
        case tooLong
    }

    /// `mask`: a fixed mask (0–7) instead of the one with the lowest penalty, for tests that compare with other encoders.
    public init(_ text: String, mask fixedMask: Int? = nil) throws(Failure) {
        let data = Array(text.utf8)
        guard let version = (1...40).first(where: { Self.bitsNeeded(data.count, version: $0) <= Self.dataCodewords(version: $0) * 8 }) else {
            throw .tooLong
        }
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(Self.codewords(data, version: version))
        let candidates = fixedMask.map { [matrix.masked($0)] } ?? (0..<8).map { matrix.masked($0) }
        let penalties = candidates.count == 1 ? [0] : candidates.map(\.penalty)
        let best = penalties.indices.min { penalties[$0] < penalties[$1] } ?? 0
        let chosen = fixedMask ?? best
        let final = candidates[best]
        self.size = final.size
        self.version = version
        self.mask = chosen
        self.modules = final.modules
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    // MARK: Data

    private static func bitsNeeded(_ bytes: Int, version: Int) -> Int { 4 + (version < 10 ? 8 : 16) + bytes * 8 }

    /// The data codewords (mode, length, bytes, terminator, padding) followed by their error correction, interleaved.
    static func codewords(_ data: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(data.count, count: version < 10 ? 8 : 16)
        for byte in data { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewords(version: version) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var bytes = bits.bytes
        var pad: UInt8 = 0xEC
        while bytes.count < capacity / 8 {
            bytes.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return interleaved(bytes, version: version)
    }

    private static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = blocksM[version]
        let eccLength = eccPerBlockM[version]
        let raw = rawDataModules(version: version) / 8
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var blocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            var block = Array(data[offset..<offset + length])
            offset += length
            let ecc = ReedSolomon.remainder(block, divisor: divisor)
            if index < shortBlocks { block.append(0) }  // a place holder, skipped below, so every block lines up
            blocks.append(block + ecc)
        }
        var result: [UInt8] = []
        for position in 0..<blocks[0].count {
            for (index, block) in blocks.enumerated() where position != shortLength - eccLength || index >= shortBlocks {
                result.append(block[position])
            }
        }
        return result
    }

    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 - eccPerBlockM[version] * blocksM[version] }

    /// Level M's error-correction codewords per block and number of blocks, by version (index 0 unused).
    static let eccPerBlockM = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28,
    ]
    static let blocksM = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40,
        43, 45, 47, 49,
    ]
}

/// Bits appended most significant first.
private struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].enumerated().reduce(UInt8(0)) { byte, bit in bit.element ? byte | (0x80 >> bit.offset) : byte }
        }
    }
}

/// Reed–Solomon error correction over GF(2⁸) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
enum ReedSolomon {
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                result[index] = multiply(result[index], root)
                if index + 1 < degree { result[index] ^= result[index + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(divisor[index], factor) }
        }
        return result
    }

    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product = 0
        for shift in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= Int((y >> UInt8(shift)) & 1) * Int(x)
        }
        return UInt8(product)
    }
}
