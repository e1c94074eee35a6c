import DatabaseFixtures
import Domain
import Storage
import Testing
import UseCases

/// Groups as the admin REST and the portal use them, without HTTP, on both databases.
@Suite("Groups, without HTTP")
struct GroupUseCaseTests {
    @Test("a tree: paths follow renames, sibling names are unique, a deleted group takes its subtree", arguments: TestDatabases.kinds)
    func tree(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (groups, change, actor, realm) = (world.administration.groups, world.administration.changeGroups, world.operatorCLI, UseCaseWorld.realm)
            let top = try await change.create(actor, realm: realm, parentId: nil, name: try GroupName("data team"), attributes: nil)
            let child = try await change.create(actor, realm: realm, parentId: top.id, name: try GroupName("analysts"), attributes: nil)
            let grandchild = try await change.create(actor, realm: realm, parentId: child.id, name: try GroupName("finance"), attributes: nil)
            #expect(grandchild.path == "/data team/analysts/finance")
            #expect(try await groups.find(actor, realm: realm, id: top.id).subGroupCount == 1)
            await #expect(throws: AdministrationError.exists(.group, name: "analysts")) {
                _ = try await change.create(actor, realm: realm, parentId: top.id, name: try GroupName("analysts"), attributes: nil)
            }
            // The same name elsewhere in the tree is another group.
            _ = try await change.create(actor, realm: realm, parentId: nil, name: try GroupName("analysts"), attributes: nil)

            try await change.update(actor, realm: realm, id: child.id, name: try GroupName("analytics"), attributes: nil)
            #expect(try await groups.find(actor, realm: realm, id: grandchild.id).path == "/data team/analytics/finance")
            #expect(try await groups.find(actor, realm: realm, path: "/data team/analytics/finance")?.id == grandchild.id)
            #expect(try await groups.find(actor, realm: realm, path: "/data team/analysts") == nil)

            try await change.delete(actor, realm: realm, id: top.id)
            await #expect(throws: AdministrationError.notFound(.group)) { _ = try await groups.find(actor, realm: realm, id: grandchild.id) }
            #expect(try await groups.count(actor, realm: realm, search: nil, topOnly: false) == 1)
        }
    }

    @Test("a member holds the group's roles, its ancestors' and their composites; leaving takes them away", arguments: TestDatabases.kinds)
    func rolesThroughGroups(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (admin, actor, realm) = (world.administration, world.operatorCLI, UseCaseWorld.realm)
            let userId = try await world.user("gale")
            _ = try await admin.createRole(actor, realm: realm, name: try Identifier("analyst", field: "name"), description: "")
            try await admin.changeComposites(actor, realm: realm, parent: "analyst", parts: [.init(name: NexusOneRoles.ask)], add: true)
            let top = try await admin.changeGroups.create(actor, realm: realm, parentId: nil, name: try GroupName("org"), attributes: nil)
            let team = try await admin.changeGroups.create(actor, realm: realm, parentId: top.id, name: try GroupName("team"), attributes: nil)
            try await admin.changeRoleMappings(actor, realm: realm, holder: .group(top.id), roles: [.init(name: NexusOneRoles.engineer)], grant: true)
            try await admin.changeRoleMappings(actor, realm: realm, holder: .group(team.id), roles: [.init(name: "analyst")], grant: true)
            #expect(try await !world.roles(userId: userId).realm.contains("analyst"))

            try await admin.changeGroups.membership(actor, realm: realm, userId: userId, groupId: team.id, join: true)
            let held = try await world.roles(userId: userId).realm
            #expect(held.contains("analyst") && held.contains(NexusOneRoles.ask) && held.contains(NexusOneRoles.engineer))
            #expect(try await admin.roleMappings.effective(actor, realm: realm, holder: .group(team.id)).map(\.name).contains(NexusOneRoles.engineer))

            try await admin.changeGroups.membership(actor, realm: realm, userId: userId, groupId: team.id, join: false)
            #expect(try await !world.roles(userId: userId).realm.contains(NexusOneRoles.engineer))
            await #expect(throws: AdministrationError.notFound(.user)) {
                try await admin.changeGroups.membership(actor, realm: realm, userId: "nobody", groupId: "nothing", join: true)
            }
            await #expect(throws: AdministrationError.notFound(.group)) {
                try await admin.changeGroups.membership(actor, realm: realm, userId: userId, groupId: "nothing", join: true)
            }
        }
    }

    @Test("a tree nests 50 deep and no deeper; it is deleted whole and a search draws the branches down to its matches", arguments: TestDatabases.kinds)
    func deepTreeAndSearch(kind: DatabaseKind) async throws {
        try await UseCaseWorld.run(on: kind) { world in
            let (groups, change, actor, realm) = (world.administration.groups, world.administration.changeGroups, world.operatorCLI, UseCaseWorld.realm)
            var parent: String?
            var ids: [String] = []
            for depth in 0..<Group.maximumDepth {
                let group = try await change.create(actor, realm: realm, parentId: parent, name: try GroupName("level\(depth)"), attributes: nil)
                ids.append(group.id)
                parent = group.id
            }
            await #expect(throws: AdministrationError.refused("Groups nest at most 50 deep")) {
                _ = try await change.create(actor, realm: realm, parentId: parent, name: try GroupName("too deep"), attributes: nil)
            }
            let branches = try await groups.search(actor, realm: realm, .contains("level49"), window: .all)
            #expect(branches.map(\.group.name) == ["level0"] && branches.first?.isMatch == false)
            var depth = 0
            var cursor = branches.first
            while let next = cursor?.below.first { (cursor, depth) = (next, depth + 1) }
            #expect(depth == 49 && cursor?.group.path.hasSuffix("/level48/level49") == true && cursor?.isMatch == true)

            try await change.delete(actor, realm: realm, id: ids[0])
            #expect(try await groups.count(actor, realm: realm, search: nil, topOnly: false) == 0)
        }
    }

    @Test("group names: no '/', no control characters, not empty, at most 255 bytes")
    func names() throws {
        #expect(throws: ValueError.self) { try GroupName("a/b") }
        #expect(throws: ValueError.self) { try GroupName("tab\there") }
        #expect(throws: ValueError.self) { try GroupName("  ") }
        #expect(throws: ValueError.self) { try GroupName(String(repeating: "é", count: 128)) }
        for lookalike in ["top\u{200B}", "\u{202E}pot", "a\u{85}b", "a\u{2028}b", " top", "top ", ".", ".."] {
            #expect(throws: ValueError.self, "\(lookalike.unicodeScalars.map(\.value))") { try GroupName(lookalike) }
        }
        #expect(try GroupName("Data Team (EU)").value == "Data Team (EU)")
    }
}
