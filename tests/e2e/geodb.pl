#!/usr/bin/perl
# geodb.pl DIR [VARIANT]: the tests' MaxMind DB files, written with
# MaxMind::DB::Writer (Debian libmaxmind-db-writer-perl) the way GeoLite2
# lays out its records:
#   DIR/country.mmdb  country.iso_code, country.names.en
#   DIR/city.mmdb     the same and city.names.en
#   DIR/asn.mmdb      autonomous_system_number, _organization
#   DIR/other.mmdb    continent only: no kind linklog reads
# Private ranges are in the files too: linklog must not look them up.
# The AS names are hostile (quotes, control bytes, markup, a backslash,
# bytes that are not UTF-8); 1.2.3.0/24's AS record is corrupt (a control
# byte of no type), found as a lookup error.  VARIANT "replaced": the
# country file says FR for 81.2.69.0/24, as a newer download would.
# Also DIR/bigasn.mmdb with N (env GEODB_NETS, default 0) /24s, for the
# benchmark.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($dir, $variant) = @ARGV;
die "usage: geodb.pl DIR [replaced]\n" unless defined $dir;
$variant //= '';

my %types = (
	country => 'map', city => 'map', names => 'map', continent => 'map',
	iso_code => 'utf8_string', en => 'utf8_string', de => 'utf8_string',
	code => 'utf8_string', geoname_id => 'uint32',
	autonomous_system_number => 'uint32',
	autonomous_system_organization => 'utf8_string',
);

sub tree {
	my ($type) = @_;
	return MaxMind::DB::Writer::Tree->new(
		ip_version => 6, record_size => 28, database_type => $type,
		languages => ['en'], description => { en => "linklog test $type" },
		map_key_type_callback => sub { $types{ $_[0] } },
		remove_reserved_networks => 0, alias_ipv6_to_ipv4 => 1,
	);
}

sub write_db {
	my ($tree, $file) = @_;
	open my $fh, '>:raw', "$dir/$file" or die "$dir/$file: $!\n";
	$tree->write_tree($fh);
	close $fh or die "$dir/$file: $!\n";
}

# Same-length byte patches after writing: strings are length-prefixed.
sub patch {
	my ($file, $from, $to) = @_;
	local $/;
	open my $in, '<:raw', "$dir/$file" or die;
	my $db = <$in>;
	close $in;
	my $at = index($db, $from);
	die "$from not in $file\n" if $at < 0;
	substr($db, $at, length $to) = $to;
	open my $out, '>:raw', "$dir/$file" or die;
	print $out $db;
	close $out;
}

my @countries = (
	[ '81.2.69.0/24', $variant eq 'replaced' ? ('FR', 'France') :
	    ('GB', 'United Kingdom'), 'London' ],
	[ '89.160.20.0/24', 'SE', 'Sweden', "Link\x{f6}ping" ],
	[ '8.8.8.0/24', 'US', 'United States', undef ],
	[ '1.2.3.0/24', 'AU', 'Australia', 'Sydney' ],
	[ '10.0.0.0/8', 'ZZ', 'Private', 'Nowhere' ],
	[ '192.168.0.0/16', 'ZZ', 'Private', 'Nowhere' ],
	[ '203.0.113.0/24', 'ZZ', 'Documentation', 'Nowhere' ],
);
my ($country, $city) = (tree('Test-Country'), tree('Test-City'));
for my $c (@countries) {
	my ($net, $iso, $name, $town) = @$c;
	my %rec = (country => { iso_code => $iso, names => { en => $name,
	    de => "$name (de)" }, geoname_id => 1 },
	    continent => { code => 'EU' });
	$country->insert_network($net, { %rec });
	$rec{city} = { names => { en => $town }, geoname_id => 2 } if defined $town;
	$city->insert_network($net, \%rec);
}
write_db($country, 'country.mmdb');
write_db($city, 'city.mmdb');

my $asn = tree('Test-ASN');
my @as = (
	[ '81.2.69.0/24', 20712, 'Andrews & Arnold Ltd' ],
	[ '89.160.20.0/24', 29518, "Evil \"Org\" \\ <b>x</b>\n\x01\x1b[31mred" ],
	[ '8.8.8.0/24', 15169, 'Google LLC BADUTF8:XXXX' ],
	[ '1.2.3.0/24', 65001, 'CORRUPTRECORD' ],
	[ '10.0.0.0/8', 64512, 'Private' ],
	[ '192.168.0.0/16', 64512, 'Private' ],
);
$asn->insert_network($_->[0], { autonomous_system_number => $_->[1],
    autonomous_system_organization => $_->[2] }) for @as;
write_db($asn, 'asn.mmdb');
# Bytes that are not UTF-8; and a string's control byte (type 2, length
# 13: 0x4d) turned into an extended type that does not exist.
patch('asn.mmdb', 'BADUTF8:XXXX', "BADUTF8:\xff\xfe\xc0\x80");
patch('asn.mmdb', "\x4dCORRUPTRECORD", "\x00\xffORRUPTRECORD");

# A MaxMind DB whose records hold neither country, city nor AS.
my $other = tree('Test-Other');
$other->insert_network('81.2.69.0/24', { continent => { code => 'EU' } });
write_db($other, 'other.mmdb');

my $n = $ENV{GEODB_NETS} // 0;
if ($n > 0) {
	my $big = tree('Test-ASN');
	for my $i (0 .. $n - 1) {
		my $net = sprintf('%d.%d.%d.0/24', 11 + int($i / 65536) % 80,
		    int($i / 256) % 256, $i % 256);
		$big->insert_network($net, { autonomous_system_number => 1000 + $i,
		    autonomous_system_organization => "Network $i" });
	}
	write_db($big, 'bigasn.mmdb');
}
