#!/usr/bin/perl
# A small GeoIP country database in MaxMind DB format for the tests (issue 14), written
# with Debian's libmaxmind-db-writer-perl.
#   make_country_db.pl OUT.mmdb NETWORK=CC [NETWORK=CC ...]   e.g. 127.0.0.0/8=JP
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($out, @entries) = @ARGV;
die "usage: $0 OUT.mmdb NETWORK=CC...\n" unless $out && @entries;
my %types = (country => 'map', iso_code => 'utf8_string');
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => 'Nanbyo-Test-Country',
    languages                => ['en'],
    description              => { en => 'nanbyo test countries' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
);
for my $entry (@entries) {
    my ($network, $country) = split /=/, $entry, 2;
    $tree->insert_network($network, { country => { iso_code => $country } });
}
open my $fh, '>:raw', "$out.tmp" or die "$out.tmp: $!";
$tree->write_tree($fh);
close $fh or die "$out.tmp: $!";
rename "$out.tmp", $out or die "$out: $!";
