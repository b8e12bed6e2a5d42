import FeatureFlags

/// The feature flags the product itself uses. Each is on unless configured otherwise.
public enum ProductFeatures {
    /// `DELETE /v1/customers/{id}`: erasure of personal data.
    public static let erasure = "customers.erasure"
    /// `GET /v1/customers/{id}/history`.
    public static let history = "customers.history"
    /// `/admin/webhooks` and webhook deliveries.
    public static let webhooks = "webhooks"

    /// What each product flag is when configuration says nothing about it.
    public static let defaults: [String: FeatureFlag] = [erasure: .fixed(true), history: .fixed(true), webhooks: .fixed(true)]
}
