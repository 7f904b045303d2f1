#!/usr/bin/perl
# The error catalogue, checked: every message the sources can print (the
# formats given to smp_fail, cli_usage_error and fprintf(stderr, ...), and
# the reasons plan.c gives for a bad value, returned or in its option table) must
#   1. appear in the man page's DIAGNOSTICS section, and
#   2. have been printed by some CLI test (LOG holds all their stderr),
#      unless tests/cli/diagnostics.skip says why no test can provoke it.
# Usage: diagnostics.pl ROOT LOG       Prints what is missing; exit 1 if any.
#        diagnostics.pl ROOT --list    Prints each message's skeleton.
use strict;
use warnings;

my ($root, $log) = @ARGV;
die "usage: diagnostics.pl ROOT LOG|--list\n" unless defined $log;

# A format's skeleton: escapes undone, each conversion an "@", and the
# "smpsim: " or "smpsim CMD: " prefix and the newline dropped.
sub skeleton {
    my ($f) = @_;
    $f =~ s/\\n//g;
    $f =~ s/\\r//g;
    $f =~ s/\\"/"/g;
    $f =~ s/\\\\/\\/g;
    $f =~ s/%%/\x01/g;
    $f =~ s/%[-+ #0]*[0-9*]*(?:\.[0-9*]+)?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcsp]/@/g;
    $f =~ s/\x01/%/g;
    $f =~ s/^@(?=smpsim)//;    # "%ssmpsim: ...", the % s clearing a progress bar
    $f =~ s/^smpsim(?: @| batch)?: //;
    $f =~ s/^\s+|\s+$//g;
    return $f;
}

my %msgs;    # skeleton => "file:line"
my $str = qr/"(?:[^"\\]|\\.)*"/;
for my $file (glob("$root/src/*.c"), glob("$root/src/cli/*.c")) {
    open my $fh, '<', $file or die "$file: $!\n";
    my $text = do { local $/; <$fh> };
    close $fh;
    (my $rel = $file) =~ s{^\Q$root\E/}{};
    my @found;
    while ($text =~ /\b(?:smp_fail\s*\([^;"]*?|cli_usage_error\s*\([^,;]*,\s*|fprintf\s*\(\s*stderr\s*,\s*)((?:$str\s*)+)/g) {
        push @found, [$1, pos($text)];
    }
    if ($rel eq 'src/plan.c') {
        while ($text =~ /\breturn\s+((?:$str\s*)+)(?:[;:])/g) { push @found, [$1, pos($text)]; }
        while ($text =~ /\?\s*((?:$str\s*)+):\s*NULL/g) { push @found, [$1, pos($text)]; }
        while ($text =~ /\bNUMBER\([^;"]*?((?:$str\s*)+)\)/g) { push @found, [$1, pos($text)]; }
    }
    for my $f (@found) {
        my ($lits, $pos) = @$f;
        my $fmt = join '', $lits =~ /"((?:[^"\\]|\\.)*)"/g;
        my $sk = skeleton($fmt);
        next unless $sk =~ /[a-z]{3}/i;    # "@: @" and the like say nothing by themselves
        my $line = 1 + (substr($text, 0, $pos) =~ tr/\n//);
        $msgs{$sk} //= "$rel:$line";
    }
}

if ($log eq '--list') {
    print "$_\t$msgs{$_}\n" for sort keys %msgs;
    exit 0;
}

# The man page's DIAGNOSTICS section, placeholders (italics) as "@".
open my $mh, '<', "$root/man/smpsim.1" or die "man/smpsim.1: $!\n";
my $man = do { local $/; <$mh> };
close $mh;
my ($diag) = $man =~ /^\.SH DIAGNOSTICS\n(.*?)^\.SH /ms or die "man/smpsim.1: no DIAGNOSTICS section\n";
my @entries;
for my $l (split /\n/, $diag) {
    next if $l =~ /^\.(?!\S)|^\.[A-Za-z]/;
    $l =~ s/\\fI.*?\\f[RPB]/@/g;
    $l =~ s/\\f[BRP]//g;
    $l =~ s/\\-/-/g;
    $l =~ s/\\\(S2/^2/g;
    $l =~ s/\\&//g;
    $l =~ s/\s+/ /g;
    push @entries, $l;
}
# A message is listed when an entry holds it word for word, or when the
# entry, its placeholders taken as wildcards, matches the whole message.
sub listed {
    my ($sk) = @_;
    for my $e (@entries) {
        return 1 if index($e, $sk) >= 0;
        my $re = join '.*?', map { quotemeta } split /@/, $e, -1;
        return 1 if $sk =~ /^$re$/ || ($e =~ /^(.*?) \(/ && $sk =~ /^${\ join '.*?', map { quotemeta } split m{@}, $1, -1}$/);
    }
    return 0;
}

# What the tests printed.
open my $lh, '<', $log or die "$log: $!\n";
my $printed = do { local $/; <$lh> };
close $lh;

# Messages no test can provoke, with the reason, one regex per line.
my @skip;
# The skip list, and what a test file could not provoke this run (say,
# without the face photo it fetches): $log.skip, in the same form.
for my $skipfile ("$root/tests/cli/diagnostics.skip", "$log.skip") {
    open my $sh, '<', $skipfile or next;
    while (<$sh>) {
        next if /^\s*(#|$)/;
        my ($re) = /^(.*?)\s+#\s/;
        $re //= $_;
        chomp $re;
        push @skip, qr/$re/;
    }
}

my ($bad, $nman, $ntest) = (0, 0, 0);
for my $sk (sort keys %msgs) {
    (my $flat = $sk) =~ s/\s+/ /g;
    if (!listed($flat)) {
        print "diagnostics: not in the man page's DIAGNOSTICS: \"$sk\" ($msgs{$sk})\n";
        $bad = 1;
        $nman++;
    }
    my $re = join '.*?', map { quotemeta } split /@/, $sk, -1;
    next if $printed =~ /$re/;
    next if grep { $sk =~ $_ } @skip;
    print "diagnostics: no test prints: \"$sk\" ($msgs{$sk})\n";
    $bad = 1;
    $ntest++;
}
printf "diagnostics: %d messages; %d not in the man page, %d not provoked by a test\n", scalar(keys %msgs), $nman,
    $ntest;
exit $bad;
