import Foundation
import MarelleApp
import MarelleCore
import MarelleStore

/// The exports' CSV files, column for column: one place says what a spreadsheet receives.
public enum ExportTables {
    public static func bookings(_ rows: [ExportStore.BookingRow]) -> String {
        var csv = CSVWriter(header: [
            tr("ExportTables.n_reservation"), tr("ExportTables.date"), tr("ExportTables.activite"), tr("ExportTables.nom"),
            tr("ExportTables.prenom"), tr("common.famille"), "Statut", tr("ExportTables.tarif"),
            tr("ExportTables.demandee_le"),
            tr("ExportTables.decidee_le"), tr("ExportTables.motif_de_refus"),
        ])
        for r in rows {
            csv.append([
                .integer(r.bookingId), .date(r.day), .text(r.activity), .text(r.childLastName), .text(r.childFirstName),
                .text(r.family), .text(r.status.label), .euros(cents: r.priceCents), instant(r.requestedAt),
                instant(r.decidedAt), .text(r.refusalReason ?? ""),
            ])
        }
        return csv.text
    }

    public static func attendance(_ rows: [ExportStore.AttendanceRow]) -> String {
        var csv = CSVWriter(header: [
            tr("ExportTables.n_reservation"), tr("ExportTables.date"), tr("ExportTables.activite"), tr("ExportTables.nom"),
            tr("ExportTables.prenom"), tr("common.famille"), tr("ExportTables.arrivee"),
            tr("ExportTables.depart"), tr("ExportTables.venu_chercher_par"),
            tr("ExportTables.absent_sans_prevenir"), tr("ExportTables.venu_sans_reservation"),
            tr("ExportTables.absence_declaree"),
        ])
        for r in rows {
            csv.append([
                .integer(r.bookingId), .date(r.day), .text(r.activity), .text(r.childLastName), .text(r.childFirstName),
                .text(r.family), time(r.arrivedAt), time(r.leftAt), .text(r.pickedUpBy ?? ""), yes(r.noShow),
                yes(r.unexpected), .text(r.absenceReason ?? ""),
            ])
        }
        return csv.text
    }

    public static func amounts(_ rows: [ExportStore.AmountRow]) -> String {
        var csv = CSVWriter(header: [
            tr("ExportTables.n_famille"), tr("common.famille"), tr("ExportTables.mois"),
            tr("ExportTables.reservations"), "Montant (€)",
        ])
        for r in rows {
            let month = Exports.month(r.month).map { "\($0.french.dropFirst(3))" } ?? r.month
            csv.append([.integer(r.familyId), .text(r.family), .text(month), .integer(r.bookings), .euros(cents: r.amountCents)])
        }
        return csv.text
    }

    public static func cafHours(_ rows: [Exports.CAFRow]) -> String {
        var csv = CSVWriter(header: [
            tr("ExportTables.nom"), tr("ExportTables.prenom"), tr("ExportTables.date_de_naissance"),
            tr("ExportTables.tranche_d_age"), tr("common.famille"), "N° allocataire CAF",
            tr("ExportTables.activite"),
            tr("ExportTables.jours_de_presence"), "Heures",
        ])
        for r in rows {
            csv.append([
                .text(r.childLastName), .text(r.childFirstName), .date(r.birthDate), .text(r.ageBand), .text(r.family),
                .text(r.cafNumber), .text(r.activity), .integer(r.days), .hours(minutes: r.minutes),
            ])
        }
        return csv.text
    }

    static func instant(_ date: Date?) -> CSVWriter.Cell {
        date.map { .text(ParisTime.format($0)) } ?? .empty
    }

    static func time(_ date: Date?) -> CSVWriter.Cell {
        date.map { .text(ParisClock.time(of: $0).description) } ?? .empty
    }

    static func yes(_ flag: Bool) -> CSVWriter.Cell {
        .text(flag ? "oui" : "non")
    }
}
