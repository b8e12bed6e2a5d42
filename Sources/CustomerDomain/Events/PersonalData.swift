/// The payload keys of customer events that hold personal data.
///
/// Erasure (LGPD art. 18, GDPR art. 17) removes these keys from every stored history item of the
/// customer; keys not listed (identifiers, status, country, which fields changed) stay so that
/// the history still tells what happened, without telling to whom.
public enum PersonalData {
    public static let eventPayloadKeys: Set<String> = [
        "name", "email", "phone", "document", "birthDate",
        "label", "street", "number", "complement", "district", "city", "state", "postalCode",
        "reason",
    ]
}
