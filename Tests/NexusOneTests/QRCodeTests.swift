import QRCode
import Testing

/// The server-drawn QR codes of authenticator enrolment, module for module as an independent encoder (python-qrcode,
/// byte mode, level M, the same mask) draws them; the browser suite then reads one with zbar.
@Suite("QR codes")
struct QRCodeTests {
    /// A polynomial hash of the modules, row by row, as the reference encoder's output hashed the same way.
    static func fingerprint(_ code: QRCode) -> Int {
        var hash = 0
        for y in 0..<code.size {
            for x in 0..<code.size { hash = (hash * 31 + (code.isDark(x: x, y: y) ? 1 : 0)) % 1_000_000_007 }
        }
        return hash
    }

    @Test("version 1 is the reference encoder's, module for module")
    func versionOne() throws {
        let expected = [
            "#######..##.#.#######", "#.....#.##..#.#.....#", "#.###.#.....#.#.###.#", "#.###.#...##..#.###.#", "#.###.#.##..#.#.###.#",
            "#.....#..#..#.#.....#", "#######.#.#.#.#######", "..........###........", "#.#.#.#..#.#....#..#.", "#.#..#...##...##...#.",
            "#...#.#####.##.######", "#.##...####.....#..#.", "#.##..###...#####.#..", "........####.#....##.", "#######...##...##.###",
            "#.....#..####..#....#", "#.###.#.####..#.#.#..", "#.###.#....#..###.##.", "#.###.#.#.#.#.#.#.#.#", "#.....#...##....#..#.",
            "#######.##.##.##..###",
        ]
        let code = try QRCode("HELLO WORLD", mask: 0)
        #expect(code.version == 1 && code.size == 21)
        let drawn = (0..<21).map { y in String((0..<21).map { code.isDark(x: $0, y: y) ? "#" : "." }) }
        #expect(drawn == expected)
        #expect(Self.fingerprint(code) == 793_010_231)
    }

    @Test("larger versions — alignment patterns, version information, several blocks — match the reference encoder")
    func largerVersions() throws {
        let cases: [(text: String, mask: Int, version: Int, fingerprint: Int)] = [
            ("otpauth://totp/NexusOne:alice?secret=JBSWY3DPEHPK3PXP&issuer=NexusOne&algorithm=SHA1&digits=6&period=30", 3, 6, 205_685_694),
            (String(repeating: "xyz", count: 60), 7, 9, 711_157_349),
            (String(repeating: "a", count: 300), 5, 13, 920_819_731),
        ]
        for item in cases {
            let code = try QRCode(item.text, mask: item.mask)
            #expect(code.version == item.version)
            #expect(Self.fingerprint(code) == item.fingerprint, "version \(item.version)")
        }
    }

    @Test("a chosen mask draws what that mask fixed draws; too long a text is refused; the SVG escapes its label")
    func choicesAndLimits() throws {
        let code = try QRCode("otpauth://totp/NexusOne:alice?secret=JBSWY3DPEHPK3PXP")
        let fixed = try QRCode("otpauth://totp/NexusOne:alice?secret=JBSWY3DPEHPK3PXP", mask: code.mask)
        #expect(code == fixed)
        #expect(throws: QRCode.Failure.tooLong) { try QRCode(String(repeating: "a", count: 2_332)) }
        #expect(try QRCode(String(repeating: "a", count: 2_331)).version == 40)
        let svg = code.svg(label: "Scan <this> & \"that\"")
        #expect(svg.contains("aria-label=\"Scan &lt;this&gt; &amp; &quot;that&quot;\"") && svg.hasPrefix("<svg") && !svg.contains("<this>"))
    }
}
