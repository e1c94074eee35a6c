import Domain
import Foundation
import HTTPKit
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import NIOCore
import PostgresNIO
import Server
import SQLKit
import Storage
import Synchronization

