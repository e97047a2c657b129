using NfDtls.Desktop.Provisioning;
using Xunit;

namespace NfDtls.Tests.Provisioning;

public class GatewayCredentialsTests
{
    [Fact]
    public void JsonRoundTripKeepsEveryNodeAndLookup()
    {
        var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 6, Security = new[] { "psk", "rpk", "x509" } });
        string json = fleet.Gateway.ToJson();
        var back = GatewayCredentials.Parse(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(fleet.Gateway.PrivateKey, back.PrivateKey);
        Assert.Equal(fleet.Gateway.Certificate, back.Certificate);
        Assert.Equal(fleet.Gateway.CaCertificate, back.CaCertificate);
        Assert.Equal(6, back.Nodes.Count);
        foreach (var n in fleet.Nodes)
        {
            var g = n.Security == "psk" ? back.FindByPskIdentity(n.PskIdentity) : back.FindByPublicKey(n.PublicKey);
            Assert.NotNull(g);
            Assert.Equal(n.NodeId, g!.Id);
            Assert.Same(g, back.FindById(n.NodeId));
        }
    }

    [Fact]
    public void RpkNodeMayBeGivenBySpkiAloneAndX509ByCertificateAlone()
    {
        var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 2, Security = new[] { "rpk", "x509" } });
        var rpk = fleet.Nodes[0];
        var x509 = fleet.Nodes[1];
        using var key = P256KeyPair.FromPrivateKey(rpk.PrivateKey);
        string json = "{ \"format\": \"nfdtls-gateway/1\", \"nodes\": ["
            + "{ \"id\": \"a\", \"security\": \"rpk\", \"spki\": \"" + Convert.ToHexString(key.SubjectPublicKeyInfo) + "\" },"
            + "{ \"id\": \"b\", \"security\": \"x509\", \"certificate\": \"" + Convert.ToHexString(x509.Certificate) + "\" } ] }";
        var c = GatewayCredentials.Parse(json);
        Assert.Equal("a", c.FindByPublicKey(rpk.PublicKey)!.Id);
        Assert.Equal("b", c.FindByPublicKey(x509.PublicKey)!.Id);
        Assert.Equal(5684, c.Port);
    }

    [Theory]
    [InlineData("not json", "file")]
    [InlineData("[]", "file")]
    [InlineData("{ \"nodes\": [] }", "format")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\" }", "nodes")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"port\": 0, \"nodes\": [] }", "port")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"gateway\": { \"privateKey\": \"0102\" }, \"nodes\": [] }", "gateway.privateKey")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"ca\": { \"certificate\": \"zz\" }, \"nodes\": [] }", "ca.certificate")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ 3 ] }", "nodes[0]")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"security\": \"psk\" } ] }", "nodes[0].id")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"security\": \"tls\" } ] }", "nodes[0].security")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"security\": \"psk\", \"pskKey\": \"00\" } ] }", "nodes[0].pskIdentity")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"pskIdentity\": \"a\" } ] }", "nodes[0].pskKey")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"pskIdentity\": \"a\", \"pskKey\": \"0g\" } ] }", "nodes[0].pskKey")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"security\": \"rpk\" } ] }", "nodes[0].publicKey")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"security\": \"rpk\", \"spki\": \"3000\" } ] }", "nodes[0].spki")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"security\": \"x509\" } ] }", "nodes[0].certificate")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"security\": \"x509\", \"certificate\": \"3000\" } ] }", "nodes[0].certificate")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"pskIdentity\": \"a\", \"pskKey\": \"00\" }, { \"id\": \"a\", \"pskIdentity\": \"b\", \"pskKey\": \"00\" } ] }", "nodes[1].id")]
    [InlineData("{ \"format\": \"nfdtls-gateway/1\", \"nodes\": [ { \"id\": \"a\", \"pskIdentity\": \"a\", \"pskKey\": \"00\" }, { \"id\": \"b\", \"pskIdentity\": \"a\", \"pskKey\": \"00\" } ] }", "nodes[1].pskIdentity")]
    public void BadFilesNameTheField(string json, string field)
    {
        var e = Assert.Throws<GatewayCredentialsException>(() => GatewayCredentials.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ": ", e.Message);
    }

    [Fact]
    public void MissingFileIsAnErrorNotACrash()
    {
        var e = Assert.Throws<GatewayCredentialsException>(() => GatewayCredentials.Load("/nonexistent/gateway.json"));
        Assert.Equal("file", e.Field);
    }
}
