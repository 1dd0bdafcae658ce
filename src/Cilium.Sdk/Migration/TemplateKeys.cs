using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using CrdKit.Validation;
using YamlDotNet.Core;

namespace Cilium.Sdk.Migration;

/// <summary>How the template reader treats what it cannot match.</summary>
/// <param name="Strict">A key one or two edits from a known key ("did you mean ...?") is an error instead of a warning.</param>
public sealed record TemplateReadOptions(bool Strict = false)
{
    /// <summary>Not strict.</summary>
    public static TemplateReadOptions Default { get; } = new();
}

/// <summary>
/// The keys the cluster template knows (its schema's names; the Cilium parts read some of them, the rest belong to
/// other apps), and "did you mean" for a key one or two edits from one of them: a misspelt optional key is otherwise
/// silently ignored, and the template's default applies instead of the value the user meant.
/// </summary>
internal static class TemplateKeys
{
    /// <summary>The top-level keys of <c>cluster.yaml</c> (the template's schema and the options of its forks seen in
    /// the corpus). Keys ending in <c>_enabled</c> are switches and always known.</summary>
    public static readonly IReadOnlySet<string> Cluster = new HashSet<string>(TemplateSettings.CiliumKeys.Concat(
    [
        "node_dns_servers", "node_ntp_servers", "node_vlan_tag", "proxmox_vlan_mode", "cluster_api_tls_sans", "repository_branch",
        "repository_visibility", "cloudflare_domain", "cloudflare_token", "cloudflare_cluster_issuer", "cloudflare_ingress_addr",
        "cloudflare_dns_gateway_addr", "cloudflare_tunnel_ingress_addr", "unifi_host", "unifi_api_key", "unifi_site",
        "unifi_external_controller", "talos_version", "kubernetes_version", "backup_s3_endpoint", "backup_s3_bucket",
        "backup_s3_access_key", "backup_s3_secret_key", "backup_s3_region", "backup_age_public_key", "proxmox_endpoint",
        "proxmox_csi_token_id", "proxmox_csi_token_secret", "proxmox_csi_storage", "proxmox_region", "proxmox_ccm_token_id",
        "proxmox_ccm_token_secret", "grafana_admin_password", "grafana_admin_user", "grafana_subdomain", "storage_class",
        "rustfs_secret_key", "rustfs_access_key", "loki_s3_access_key", "loki_s3_secret_key", "cnpg_s3_access_key",
        "cnpg_s3_secret_key", "keycloak_db_mode", "keycloak_replicas", "keycloak_admin_password", "keycloak_db_password",
        "keycloak_s3_access_key", "keycloak_s3_secret_key", "grafana_oidc_client_secret", "oidc_client_id", "oidc_client_secret",
        "kubernetes_oidc_client_secret", "dragonfly_password", "dragonfly_s3_access_key", "dragonfly_s3_secret_key",
        "litellm_master_key", "litellm_salt_key", "litellm_db_password", "litellm_s3_access_key", "litellm_s3_secret_key",
        "litellm_langfuse_public_key", "litellm_langfuse_secret_key", "azure_openai_us_east_api_key",
        "azure_openai_us_east_resource_name", "azure_anthropic_api_key", "azure_anthropic_api_base", "azure_cohere_rerank_api_key",
        "azure_cohere_rerank_api_base", "langfuse_keycloak_client_secret", "langfuse_s3_access_key", "langfuse_s3_secret_key",
        "langfuse_smtp_url", "obot_s3_access_key", "obot_s3_secret_key",
    ]), StringComparer.Ordinal);

    /// <summary>The keys of a node in <c>nodes.yaml</c>.</summary>
    public static readonly IReadOnlySet<string> Node = new HashSet<string>(
    [
        "name", "address", "controller", "disk", "mac_addr", "schematic_id", "mtu", "secureboot", "encrypt_disk", "kernel_modules",
        "labels", "annotations", "taints",
    ], StringComparer.Ordinal);

    /// <summary>Adds a "did you mean" problem for each key of <paramref name="mapping"/> that is not known but one or two
    /// edits from a known key.</summary>
    public static void Misspellings(JsonObject mapping, Dictionary<JsonNode, Mark> positions, string file, IReadOnlySet<string> known, string prefix, bool strict, List<ValidationError> problems)
    {
        foreach (var (key, value) in mapping)
        {
            if (known.Contains(key) || (ReferenceEquals(known, Cluster) && key.EndsWith("_enabled", StringComparison.Ordinal) && !IsNearCilium(key)))
            {
                continue;
            }

            var nearest = known.Select(k => (Key: k, Distance: Distance(key, k))).Where(x => x.Distance is > 0 and <= 2)
                .OrderBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key).FirstOrDefault();
            if (nearest is null)
            {
                continue;
            }

            var line = value is not null && positions.TryGetValue(value, out var mark)
                ? string.Create(CultureInfo.InvariantCulture, $" ({file} line {mark.Line})")
                : $" ({file})";
            problems.Add(new ValidationError(prefix + key, null,
                $"is not a key the template knows, so it is ignored{line}; did you mean {nearest}?",
                $"rename it to {nearest}", "template", strict ? ValidationSeverity.Error : ValidationSeverity.Warning));
        }
    }

    // A switch like hubble_enabeld is near a Cilium switch (hubble_enabled) and must not pass as "some app's switch".
    private static bool IsNearCilium(string key) =>
        TemplateSettings.CiliumKeys.Any(k => k != key && Distance(key, k) <= 2);

    /// <summary>The optimal string alignment distance (Levenshtein with adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return 3;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
