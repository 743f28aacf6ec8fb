//! The country list behind "Query countries" (E098), for location filters: one entry
//! per ISO 3166 country with its principal time zone's city, coordinates, standard
//! UTC offset (on 15 January 2025, without daylight saving) and IANA name.
//! `region_name` is the time zone's area (`Europe`, `America`, ...); countries have no
//! zip code, so `zip_code` is left out.
//!
//! Generated from the tz database's `iso3166.tab` and `zone.tab` (the first zone of
//! each country, or its capital's where `zone.tab` lists zones west to east) by the
//! script at the end of this file; no network is involved. Two ISO codes without a
//! zone of their own (Bouvet Island, Heard and McDonald Islands) are not listed.

use serde::Serialize;

/// One country (the seed's `countries[]` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Country {
    pub city_name: &'static str,
    pub country: &'static str,
    pub country_code: &'static str,
    pub latitude: &'static str,
    pub longitude: &'static str,
    pub region_name: &'static str,
    pub time_zone: &'static str,
    pub time_zone_name: &'static str,
}

#[allow(
    clippy::too_many_arguments,
    reason = "one positional row per country keeps the table readable"
)]
const fn c(
    country_code: &'static str,
    country: &'static str,
    city_name: &'static str,
    region_name: &'static str,
    latitude: &'static str,
    longitude: &'static str,
    time_zone: &'static str,
    time_zone_name: &'static str,
) -> Country {
    Country {
        city_name,
        country,
        country_code,
        latitude,
        longitude,
        region_name,
        time_zone,
        time_zone_name,
    }
}

/// Every country, by ISO 3166 alpha-2 code (one row each, so not formatted).
#[rustfmt::skip]
pub static COUNTRIES: &[Country] = &[
    c("AD", "Andorra", "Andorra", "Europe", "42.5000", "1.5167", "+01:00", "Europe/Andorra"),
    c("AE", "United Arab Emirates", "Dubai", "Asia", "25.3000", "55.3000", "+04:00", "Asia/Dubai"),
    c("AF", "Afghanistan", "Kabul", "Asia", "34.5167", "69.2000", "+04:30", "Asia/Kabul"),
    c("AG", "Antigua & Barbuda", "Antigua", "America", "17.0500", "-61.8000", "-04:00", "America/Antigua"),
    c("AI", "Anguilla", "Anguilla", "America", "18.2000", "-63.0667", "-04:00", "America/Anguilla"),
    c("AL", "Albania", "Tirane", "Europe", "41.3333", "19.8333", "+01:00", "Europe/Tirane"),
    c("AM", "Armenia", "Yerevan", "Asia", "40.1833", "44.5000", "+04:00", "Asia/Yerevan"),
    c("AO", "Angola", "Luanda", "Africa", "-8.8000", "13.2333", "+01:00", "Africa/Luanda"),
    c("AQ", "Antarctica", "McMurdo", "Antarctica", "-77.8333", "166.6000", "+12:00", "Antarctica/McMurdo"),
    c("AR", "Argentina", "Buenos Aires", "America", "-34.6000", "-58.4500", "-03:00", "America/Argentina/Buenos_Aires"),
    c("AS", "Samoa (American)", "Pago Pago", "Pacific", "-14.2667", "-170.7000", "-11:00", "Pacific/Pago_Pago"),
    c("AT", "Austria", "Vienna", "Europe", "48.2167", "16.3333", "+01:00", "Europe/Vienna"),
    c("AU", "Australia", "Sydney", "Australia", "-33.8667", "151.2167", "+10:00", "Australia/Sydney"),
    c("AW", "Aruba", "Aruba", "America", "12.5000", "-69.9667", "-04:00", "America/Aruba"),
    c("AX", "Åland Islands", "Mariehamn", "Europe", "60.1000", "19.9500", "+02:00", "Europe/Mariehamn"),
    c("AZ", "Azerbaijan", "Baku", "Asia", "40.3833", "49.8500", "+04:00", "Asia/Baku"),
    c("BA", "Bosnia & Herzegovina", "Sarajevo", "Europe", "43.8667", "18.4167", "+01:00", "Europe/Sarajevo"),
    c("BB", "Barbados", "Barbados", "America", "13.1000", "-59.6167", "-04:00", "America/Barbados"),
    c("BD", "Bangladesh", "Dhaka", "Asia", "23.7167", "90.4167", "+06:00", "Asia/Dhaka"),
    c("BE", "Belgium", "Brussels", "Europe", "50.8333", "4.3333", "+01:00", "Europe/Brussels"),
    c("BF", "Burkina Faso", "Ouagadougou", "Africa", "12.3667", "-1.5167", "+00:00", "Africa/Ouagadougou"),
    c("BG", "Bulgaria", "Sofia", "Europe", "42.6833", "23.3167", "+02:00", "Europe/Sofia"),
    c("BH", "Bahrain", "Bahrain", "Asia", "26.3833", "50.5833", "+03:00", "Asia/Bahrain"),
    c("BI", "Burundi", "Bujumbura", "Africa", "-3.3833", "29.3667", "+02:00", "Africa/Bujumbura"),
    c("BJ", "Benin", "Porto-Novo", "Africa", "6.4833", "2.6167", "+01:00", "Africa/Porto-Novo"),
    c("BL", "St Barthelemy", "St Barthelemy", "America", "17.8833", "-62.8500", "-04:00", "America/St_Barthelemy"),
    c("BM", "Bermuda", "Bermuda", "Atlantic", "32.2833", "-64.7667", "-04:00", "Atlantic/Bermuda"),
    c("BN", "Brunei", "Brunei", "Asia", "4.9333", "114.9167", "+08:00", "Asia/Brunei"),
    c("BO", "Bolivia", "La Paz", "America", "-16.5000", "-68.1500", "-04:00", "America/La_Paz"),
    c("BQ", "Caribbean NL", "Kralendijk", "America", "12.1508", "-68.2767", "-04:00", "America/Kralendijk"),
    c("BR", "Brazil", "Sao Paulo", "America", "-23.5333", "-46.6167", "-03:00", "America/Sao_Paulo"),
    c("BS", "Bahamas", "Nassau", "America", "25.0833", "-77.3500", "-05:00", "America/Nassau"),
    c("BT", "Bhutan", "Thimphu", "Asia", "27.4667", "89.6500", "+06:00", "Asia/Thimphu"),
    c("BW", "Botswana", "Gaborone", "Africa", "-24.6500", "25.9167", "+02:00", "Africa/Gaborone"),
    c("BY", "Belarus", "Minsk", "Europe", "53.9000", "27.5667", "+03:00", "Europe/Minsk"),
    c("BZ", "Belize", "Belize", "America", "17.5000", "-88.2000", "-06:00", "America/Belize"),
    c("CA", "Canada", "Toronto", "America", "43.6500", "-79.3833", "-05:00", "America/Toronto"),
    c("CC", "Cocos (Keeling) Islands", "Cocos", "Indian", "-12.1667", "96.9167", "+06:30", "Indian/Cocos"),
    c("CD", "Congo (Dem. Rep.)", "Kinshasa", "Africa", "-4.3000", "15.3000", "+01:00", "Africa/Kinshasa"),
    c("CF", "Central African Rep.", "Bangui", "Africa", "4.3667", "18.5833", "+01:00", "Africa/Bangui"),
    c("CG", "Congo (Rep.)", "Brazzaville", "Africa", "-4.2667", "15.2833", "+01:00", "Africa/Brazzaville"),
    c("CH", "Switzerland", "Zurich", "Europe", "47.3833", "8.5333", "+01:00", "Europe/Zurich"),
    c("CI", "Côte d'Ivoire", "Abidjan", "Africa", "5.3167", "-4.0333", "+00:00", "Africa/Abidjan"),
    c("CK", "Cook Islands", "Rarotonga", "Pacific", "-21.2333", "-159.7667", "-10:00", "Pacific/Rarotonga"),
    c("CL", "Chile", "Santiago", "America", "-33.4500", "-70.6667", "-04:00", "America/Santiago"),
    c("CM", "Cameroon", "Douala", "Africa", "4.0500", "9.7000", "+01:00", "Africa/Douala"),
    c("CN", "China", "Shanghai", "Asia", "31.2333", "121.4667", "+08:00", "Asia/Shanghai"),
    c("CO", "Colombia", "Bogota", "America", "4.6000", "-74.0833", "-05:00", "America/Bogota"),
    c("CR", "Costa Rica", "Costa Rica", "America", "9.9333", "-84.0833", "-06:00", "America/Costa_Rica"),
    c("CU", "Cuba", "Havana", "America", "23.1333", "-82.3667", "-05:00", "America/Havana"),
    c("CV", "Cape Verde", "Cape Verde", "Atlantic", "14.9167", "-23.5167", "-01:00", "Atlantic/Cape_Verde"),
    c("CW", "Curaçao", "Curacao", "America", "12.1833", "-69.0000", "-04:00", "America/Curacao"),
    c("CX", "Christmas Island", "Christmas", "Indian", "-10.4167", "105.7167", "+07:00", "Indian/Christmas"),
    c("CY", "Cyprus", "Nicosia", "Asia", "35.1667", "33.3667", "+02:00", "Asia/Nicosia"),
    c("CZ", "Czech Republic", "Prague", "Europe", "50.0833", "14.4333", "+01:00", "Europe/Prague"),
    c("DE", "Germany", "Berlin", "Europe", "52.5000", "13.3667", "+01:00", "Europe/Berlin"),
    c("DJ", "Djibouti", "Djibouti", "Africa", "11.6000", "43.1500", "+03:00", "Africa/Djibouti"),
    c("DK", "Denmark", "Copenhagen", "Europe", "55.6667", "12.5833", "+01:00", "Europe/Copenhagen"),
    c("DM", "Dominica", "Dominica", "America", "15.3000", "-61.4000", "-04:00", "America/Dominica"),
    c("DO", "Dominican Republic", "Santo Domingo", "America", "18.4667", "-69.9000", "-04:00", "America/Santo_Domingo"),
    c("DZ", "Algeria", "Algiers", "Africa", "36.7833", "3.0500", "+01:00", "Africa/Algiers"),
    c("EC", "Ecuador", "Guayaquil", "America", "-2.1667", "-79.8333", "-05:00", "America/Guayaquil"),
    c("EE", "Estonia", "Tallinn", "Europe", "59.4167", "24.7500", "+02:00", "Europe/Tallinn"),
    c("EG", "Egypt", "Cairo", "Africa", "30.0500", "31.2500", "+02:00", "Africa/Cairo"),
    c("EH", "Western Sahara", "El Aaiun", "Africa", "27.1500", "-13.2000", "+01:00", "Africa/El_Aaiun"),
    c("ER", "Eritrea", "Asmara", "Africa", "15.3333", "38.8833", "+03:00", "Africa/Asmara"),
    c("ES", "Spain", "Madrid", "Europe", "40.4000", "-3.6833", "+01:00", "Europe/Madrid"),
    c("ET", "Ethiopia", "Addis Ababa", "Africa", "9.0333", "38.7000", "+03:00", "Africa/Addis_Ababa"),
    c("FI", "Finland", "Helsinki", "Europe", "60.1667", "24.9667", "+02:00", "Europe/Helsinki"),
    c("FJ", "Fiji", "Fiji", "Pacific", "-18.1333", "178.4167", "+12:00", "Pacific/Fiji"),
    c("FK", "Falkland Islands", "Stanley", "Atlantic", "-51.7000", "-57.8500", "-03:00", "Atlantic/Stanley"),
    c("FM", "Micronesia", "Pohnpei", "Pacific", "6.9667", "158.2167", "+11:00", "Pacific/Pohnpei"),
    c("FO", "Faroe Islands", "Faroe", "Atlantic", "62.0167", "-6.7667", "+00:00", "Atlantic/Faroe"),
    c("FR", "France", "Paris", "Europe", "48.8667", "2.3333", "+01:00", "Europe/Paris"),
    c("GA", "Gabon", "Libreville", "Africa", "0.3833", "9.4500", "+01:00", "Africa/Libreville"),
    c("GB", "Britain (UK)", "London", "Europe", "51.5083", "-0.1253", "+00:00", "Europe/London"),
    c("GD", "Grenada", "Grenada", "America", "12.0500", "-61.7500", "-04:00", "America/Grenada"),
    c("GE", "Georgia", "Tbilisi", "Asia", "41.7167", "44.8167", "+04:00", "Asia/Tbilisi"),
    c("GF", "French Guiana", "Cayenne", "America", "4.9333", "-52.3333", "-03:00", "America/Cayenne"),
    c("GG", "Guernsey", "Guernsey", "Europe", "49.4547", "-2.5361", "+00:00", "Europe/Guernsey"),
    c("GH", "Ghana", "Accra", "Africa", "5.5500", "-0.2167", "+00:00", "Africa/Accra"),
    c("GI", "Gibraltar", "Gibraltar", "Europe", "36.1333", "-5.3500", "+01:00", "Europe/Gibraltar"),
    c("GL", "Greenland", "Nuuk", "America", "64.1833", "-51.7333", "-02:00", "America/Nuuk"),
    c("GM", "Gambia", "Banjul", "Africa", "13.4667", "-16.6500", "+00:00", "Africa/Banjul"),
    c("GN", "Guinea", "Conakry", "Africa", "9.5167", "-13.7167", "+00:00", "Africa/Conakry"),
    c("GP", "Guadeloupe", "Guadeloupe", "America", "16.2333", "-61.5333", "-04:00", "America/Guadeloupe"),
    c("GQ", "Equatorial Guinea", "Malabo", "Africa", "3.7500", "8.7833", "+01:00", "Africa/Malabo"),
    c("GR", "Greece", "Athens", "Europe", "37.9667", "23.7167", "+02:00", "Europe/Athens"),
    c("GS", "South Georgia & the South Sandwich Islands", "South Georgia", "Atlantic", "-54.2667", "-36.5333", "-02:00", "Atlantic/South_Georgia"),
    c("GT", "Guatemala", "Guatemala", "America", "14.6333", "-90.5167", "-06:00", "America/Guatemala"),
    c("GU", "Guam", "Guam", "Pacific", "13.4667", "144.7500", "+10:00", "Pacific/Guam"),
    c("GW", "Guinea-Bissau", "Bissau", "Africa", "11.8500", "-15.5833", "+00:00", "Africa/Bissau"),
    c("GY", "Guyana", "Guyana", "America", "6.8000", "-58.1667", "-04:00", "America/Guyana"),
    c("HK", "Hong Kong", "Hong Kong", "Asia", "22.2833", "114.1500", "+08:00", "Asia/Hong_Kong"),
    c("HN", "Honduras", "Tegucigalpa", "America", "14.1000", "-87.2167", "-06:00", "America/Tegucigalpa"),
    c("HR", "Croatia", "Zagreb", "Europe", "45.8000", "15.9667", "+01:00", "Europe/Zagreb"),
    c("HT", "Haiti", "Port-au-Prince", "America", "18.5333", "-72.3333", "-05:00", "America/Port-au-Prince"),
    c("HU", "Hungary", "Budapest", "Europe", "47.5000", "19.0833", "+01:00", "Europe/Budapest"),
    c("ID", "Indonesia", "Jakarta", "Asia", "-6.1667", "106.8000", "+07:00", "Asia/Jakarta"),
    c("IE", "Ireland", "Dublin", "Europe", "53.3333", "-6.2500", "+01:00", "Europe/Dublin"),
    c("IL", "Israel", "Jerusalem", "Asia", "31.7806", "35.2239", "+02:00", "Asia/Jerusalem"),
    c("IM", "Isle of Man", "Isle of Man", "Europe", "54.1500", "-4.4667", "+00:00", "Europe/Isle_of_Man"),
    c("IN", "India", "Kolkata", "Asia", "22.5333", "88.3667", "+05:30", "Asia/Kolkata"),
    c("IO", "British Indian Ocean Territory", "Chagos", "Indian", "-7.3333", "72.4167", "+06:00", "Indian/Chagos"),
    c("IQ", "Iraq", "Baghdad", "Asia", "33.3500", "44.4167", "+03:00", "Asia/Baghdad"),
    c("IR", "Iran", "Tehran", "Asia", "35.6667", "51.4333", "+03:30", "Asia/Tehran"),
    c("IS", "Iceland", "Reykjavik", "Atlantic", "64.1500", "-21.8500", "+00:00", "Atlantic/Reykjavik"),
    c("IT", "Italy", "Rome", "Europe", "41.9000", "12.4833", "+01:00", "Europe/Rome"),
    c("JE", "Jersey", "Jersey", "Europe", "49.1836", "-2.1067", "+00:00", "Europe/Jersey"),
    c("JM", "Jamaica", "Jamaica", "America", "17.9681", "-76.7933", "-05:00", "America/Jamaica"),
    c("JO", "Jordan", "Amman", "Asia", "31.9500", "35.9333", "+03:00", "Asia/Amman"),
    c("JP", "Japan", "Tokyo", "Asia", "35.6544", "139.7447", "+09:00", "Asia/Tokyo"),
    c("KE", "Kenya", "Nairobi", "Africa", "-1.2833", "36.8167", "+03:00", "Africa/Nairobi"),
    c("KG", "Kyrgyzstan", "Bishkek", "Asia", "42.9000", "74.6000", "+06:00", "Asia/Bishkek"),
    c("KH", "Cambodia", "Phnom Penh", "Asia", "11.5500", "104.9167", "+07:00", "Asia/Phnom_Penh"),
    c("KI", "Kiribati", "Tarawa", "Pacific", "1.4167", "173.0000", "+12:00", "Pacific/Tarawa"),
    c("KM", "Comoros", "Comoro", "Indian", "-11.6833", "43.2667", "+03:00", "Indian/Comoro"),
    c("KN", "St Kitts & Nevis", "St Kitts", "America", "17.3000", "-62.7167", "-04:00", "America/St_Kitts"),
    c("KP", "Korea (North)", "Pyongyang", "Asia", "39.0167", "125.7500", "+09:00", "Asia/Pyongyang"),
    c("KR", "Korea (South)", "Seoul", "Asia", "37.5500", "126.9667", "+09:00", "Asia/Seoul"),
    c("KW", "Kuwait", "Kuwait", "Asia", "29.3333", "47.9833", "+03:00", "Asia/Kuwait"),
    c("KY", "Cayman Islands", "Cayman", "America", "19.3000", "-81.3833", "-05:00", "America/Cayman"),
    c("KZ", "Kazakhstan", "Almaty", "Asia", "43.2500", "76.9500", "+05:00", "Asia/Almaty"),
    c("LA", "Laos", "Vientiane", "Asia", "17.9667", "102.6000", "+07:00", "Asia/Vientiane"),
    c("LB", "Lebanon", "Beirut", "Asia", "33.8833", "35.5000", "+02:00", "Asia/Beirut"),
    c("LC", "St Lucia", "St Lucia", "America", "14.0167", "-61.0000", "-04:00", "America/St_Lucia"),
    c("LI", "Liechtenstein", "Vaduz", "Europe", "47.1500", "9.5167", "+01:00", "Europe/Vaduz"),
    c("LK", "Sri Lanka", "Colombo", "Asia", "6.9333", "79.8500", "+05:30", "Asia/Colombo"),
    c("LR", "Liberia", "Monrovia", "Africa", "6.3000", "-10.7833", "+00:00", "Africa/Monrovia"),
    c("LS", "Lesotho", "Maseru", "Africa", "-29.4667", "27.5000", "+02:00", "Africa/Maseru"),
    c("LT", "Lithuania", "Vilnius", "Europe", "54.6833", "25.3167", "+02:00", "Europe/Vilnius"),
    c("LU", "Luxembourg", "Luxembourg", "Europe", "49.6000", "6.1500", "+01:00", "Europe/Luxembourg"),
    c("LV", "Latvia", "Riga", "Europe", "56.9500", "24.1000", "+02:00", "Europe/Riga"),
    c("LY", "Libya", "Tripoli", "Africa", "32.9000", "13.1833", "+02:00", "Africa/Tripoli"),
    c("MA", "Morocco", "Casablanca", "Africa", "33.6500", "-7.5833", "+01:00", "Africa/Casablanca"),
    c("MC", "Monaco", "Monaco", "Europe", "43.7000", "7.3833", "+01:00", "Europe/Monaco"),
    c("MD", "Moldova", "Chisinau", "Europe", "47.0000", "28.8333", "+02:00", "Europe/Chisinau"),
    c("ME", "Montenegro", "Podgorica", "Europe", "42.4333", "19.2667", "+01:00", "Europe/Podgorica"),
    c("MF", "St Martin (French)", "Marigot", "America", "18.0667", "-63.0833", "-04:00", "America/Marigot"),
    c("MG", "Madagascar", "Antananarivo", "Indian", "-18.9167", "47.5167", "+03:00", "Indian/Antananarivo"),
    c("MH", "Marshall Islands", "Majuro", "Pacific", "7.1500", "171.2000", "+12:00", "Pacific/Majuro"),
    c("MK", "North Macedonia", "Skopje", "Europe", "41.9833", "21.4333", "+01:00", "Europe/Skopje"),
    c("ML", "Mali", "Bamako", "Africa", "12.6500", "-8.0000", "+00:00", "Africa/Bamako"),
    c("MM", "Myanmar (Burma)", "Yangon", "Asia", "16.7833", "96.1667", "+06:30", "Asia/Yangon"),
    c("MN", "Mongolia", "Ulaanbaatar", "Asia", "47.9167", "106.8833", "+08:00", "Asia/Ulaanbaatar"),
    c("MO", "Macau", "Macau", "Asia", "22.1972", "113.5417", "+08:00", "Asia/Macau"),
    c("MP", "Northern Mariana Islands", "Saipan", "Pacific", "15.2000", "145.7500", "+10:00", "Pacific/Saipan"),
    c("MQ", "Martinique", "Martinique", "America", "14.6000", "-61.0833", "-04:00", "America/Martinique"),
    c("MR", "Mauritania", "Nouakchott", "Africa", "18.1000", "-15.9500", "+00:00", "Africa/Nouakchott"),
    c("MS", "Montserrat", "Montserrat", "America", "16.7167", "-62.2167", "-04:00", "America/Montserrat"),
    c("MT", "Malta", "Malta", "Europe", "35.9000", "14.5167", "+01:00", "Europe/Malta"),
    c("MU", "Mauritius", "Mauritius", "Indian", "-20.1667", "57.5000", "+04:00", "Indian/Mauritius"),
    c("MV", "Maldives", "Maldives", "Indian", "4.1667", "73.5000", "+05:00", "Indian/Maldives"),
    c("MW", "Malawi", "Blantyre", "Africa", "-15.7833", "35.0000", "+02:00", "Africa/Blantyre"),
    c("MX", "Mexico", "Mexico City", "America", "19.4000", "-99.1500", "-06:00", "America/Mexico_City"),
    c("MY", "Malaysia", "Kuala Lumpur", "Asia", "3.1667", "101.7000", "+08:00", "Asia/Kuala_Lumpur"),
    c("MZ", "Mozambique", "Maputo", "Africa", "-25.9667", "32.5833", "+02:00", "Africa/Maputo"),
    c("NA", "Namibia", "Windhoek", "Africa", "-22.5667", "17.1000", "+02:00", "Africa/Windhoek"),
    c("NC", "New Caledonia", "Noumea", "Pacific", "-22.2667", "166.4500", "+11:00", "Pacific/Noumea"),
    c("NE", "Niger", "Niamey", "Africa", "13.5167", "2.1167", "+01:00", "Africa/Niamey"),
    c("NF", "Norfolk Island", "Norfolk", "Pacific", "-29.0500", "167.9667", "+11:00", "Pacific/Norfolk"),
    c("NG", "Nigeria", "Lagos", "Africa", "6.4500", "3.4000", "+01:00", "Africa/Lagos"),
    c("NI", "Nicaragua", "Managua", "America", "12.1500", "-86.2833", "-06:00", "America/Managua"),
    c("NL", "Netherlands", "Amsterdam", "Europe", "52.3667", "4.9000", "+01:00", "Europe/Amsterdam"),
    c("NO", "Norway", "Oslo", "Europe", "59.9167", "10.7500", "+01:00", "Europe/Oslo"),
    c("NP", "Nepal", "Kathmandu", "Asia", "27.7167", "85.3167", "+05:45", "Asia/Kathmandu"),
    c("NR", "Nauru", "Nauru", "Pacific", "-0.5167", "166.9167", "+12:00", "Pacific/Nauru"),
    c("NU", "Niue", "Niue", "Pacific", "-19.0167", "-169.9167", "-11:00", "Pacific/Niue"),
    c("NZ", "New Zealand", "Auckland", "Pacific", "-36.8667", "174.7667", "+12:00", "Pacific/Auckland"),
    c("OM", "Oman", "Muscat", "Asia", "23.6000", "58.5833", "+04:00", "Asia/Muscat"),
    c("PA", "Panama", "Panama", "America", "8.9667", "-79.5333", "-05:00", "America/Panama"),
    c("PE", "Peru", "Lima", "America", "-12.0500", "-77.0500", "-05:00", "America/Lima"),
    c("PF", "French Polynesia", "Tahiti", "Pacific", "-17.5333", "-149.5667", "-10:00", "Pacific/Tahiti"),
    c("PG", "Papua New Guinea", "Port Moresby", "Pacific", "-9.5000", "147.1667", "+10:00", "Pacific/Port_Moresby"),
    c("PH", "Philippines", "Manila", "Asia", "14.5867", "120.9678", "+08:00", "Asia/Manila"),
    c("PK", "Pakistan", "Karachi", "Asia", "24.8667", "67.0500", "+05:00", "Asia/Karachi"),
    c("PL", "Poland", "Warsaw", "Europe", "52.2500", "21.0000", "+01:00", "Europe/Warsaw"),
    c("PM", "St Pierre & Miquelon", "Miquelon", "America", "47.0500", "-56.3333", "-03:00", "America/Miquelon"),
    c("PN", "Pitcairn", "Pitcairn", "Pacific", "-25.0667", "-130.0833", "-08:00", "Pacific/Pitcairn"),
    c("PR", "Puerto Rico", "Puerto Rico", "America", "18.4683", "-66.1061", "-04:00", "America/Puerto_Rico"),
    c("PS", "Palestine", "Hebron", "Asia", "31.5333", "35.0950", "+02:00", "Asia/Hebron"),
    c("PT", "Portugal", "Lisbon", "Europe", "38.7167", "-9.1333", "+00:00", "Europe/Lisbon"),
    c("PW", "Palau", "Palau", "Pacific", "7.3333", "134.4833", "+09:00", "Pacific/Palau"),
    c("PY", "Paraguay", "Asuncion", "America", "-25.2667", "-57.6667", "-03:00", "America/Asuncion"),
    c("QA", "Qatar", "Qatar", "Asia", "25.2833", "51.5333", "+03:00", "Asia/Qatar"),
    c("RE", "Réunion", "Reunion", "Indian", "-20.8667", "55.4667", "+04:00", "Indian/Reunion"),
    c("RO", "Romania", "Bucharest", "Europe", "44.4333", "26.1000", "+02:00", "Europe/Bucharest"),
    c("RS", "Serbia", "Belgrade", "Europe", "44.8333", "20.5000", "+01:00", "Europe/Belgrade"),
    c("RU", "Russia", "Moscow", "Europe", "55.7558", "37.6178", "+03:00", "Europe/Moscow"),
    c("RW", "Rwanda", "Kigali", "Africa", "-1.9500", "30.0667", "+02:00", "Africa/Kigali"),
    c("SA", "Saudi Arabia", "Riyadh", "Asia", "24.6333", "46.7167", "+03:00", "Asia/Riyadh"),
    c("SB", "Solomon Islands", "Guadalcanal", "Pacific", "-9.5333", "160.2000", "+11:00", "Pacific/Guadalcanal"),
    c("SC", "Seychelles", "Mahe", "Indian", "-4.6667", "55.4667", "+04:00", "Indian/Mahe"),
    c("SD", "Sudan", "Khartoum", "Africa", "15.6000", "32.5333", "+02:00", "Africa/Khartoum"),
    c("SE", "Sweden", "Stockholm", "Europe", "59.3333", "18.0500", "+01:00", "Europe/Stockholm"),
    c("SG", "Singapore", "Singapore", "Asia", "1.2833", "103.8500", "+08:00", "Asia/Singapore"),
    c("SH", "St Helena", "St Helena", "Atlantic", "-15.9167", "-5.7000", "+00:00", "Atlantic/St_Helena"),
    c("SI", "Slovenia", "Ljubljana", "Europe", "46.0500", "14.5167", "+01:00", "Europe/Ljubljana"),
    c("SJ", "Svalbard & Jan Mayen", "Longyearbyen", "Arctic", "78.0000", "16.0000", "+01:00", "Arctic/Longyearbyen"),
    c("SK", "Slovakia", "Bratislava", "Europe", "48.1500", "17.1167", "+01:00", "Europe/Bratislava"),
    c("SL", "Sierra Leone", "Freetown", "Africa", "8.5000", "-13.2500", "+00:00", "Africa/Freetown"),
    c("SM", "San Marino", "San Marino", "Europe", "43.9167", "12.4667", "+01:00", "Europe/San_Marino"),
    c("SN", "Senegal", "Dakar", "Africa", "14.6667", "-17.4333", "+00:00", "Africa/Dakar"),
    c("SO", "Somalia", "Mogadishu", "Africa", "2.0667", "45.3667", "+03:00", "Africa/Mogadishu"),
    c("SR", "Suriname", "Paramaribo", "America", "5.8333", "-55.1667", "-03:00", "America/Paramaribo"),
    c("SS", "South Sudan", "Juba", "Africa", "4.8500", "31.6167", "+02:00", "Africa/Juba"),
    c("ST", "Sao Tome & Principe", "Sao Tome", "Africa", "0.3333", "6.7333", "+00:00", "Africa/Sao_Tome"),
    c("SV", "El Salvador", "El Salvador", "America", "13.7000", "-89.2000", "-06:00", "America/El_Salvador"),
    c("SX", "St Maarten (Dutch)", "Lower Princes", "America", "18.0514", "-63.0472", "-04:00", "America/Lower_Princes"),
    c("SY", "Syria", "Damascus", "Asia", "33.5000", "36.3000", "+03:00", "Asia/Damascus"),
    c("SZ", "Eswatini (Swaziland)", "Mbabane", "Africa", "-26.3000", "31.1000", "+02:00", "Africa/Mbabane"),
    c("TC", "Turks & Caicos Is", "Grand Turk", "America", "21.4667", "-71.1333", "-05:00", "America/Grand_Turk"),
    c("TD", "Chad", "Ndjamena", "Africa", "12.1167", "15.0500", "+01:00", "Africa/Ndjamena"),
    c("TF", "French S. Terr.", "Kerguelen", "Indian", "-49.3528", "70.2175", "+05:00", "Indian/Kerguelen"),
    c("TG", "Togo", "Lome", "Africa", "6.1333", "1.2167", "+00:00", "Africa/Lome"),
    c("TH", "Thailand", "Bangkok", "Asia", "13.7500", "100.5167", "+07:00", "Asia/Bangkok"),
    c("TJ", "Tajikistan", "Dushanbe", "Asia", "38.5833", "68.8000", "+05:00", "Asia/Dushanbe"),
    c("TK", "Tokelau", "Fakaofo", "Pacific", "-9.3667", "-171.2333", "+13:00", "Pacific/Fakaofo"),
    c("TL", "East Timor", "Dili", "Asia", "-8.5500", "125.5833", "+09:00", "Asia/Dili"),
    c("TM", "Turkmenistan", "Ashgabat", "Asia", "37.9500", "58.3833", "+05:00", "Asia/Ashgabat"),
    c("TN", "Tunisia", "Tunis", "Africa", "36.8000", "10.1833", "+01:00", "Africa/Tunis"),
    c("TO", "Tonga", "Tongatapu", "Pacific", "-21.1333", "-175.2000", "+13:00", "Pacific/Tongatapu"),
    c("TR", "Turkey", "Istanbul", "Europe", "41.0167", "28.9667", "+03:00", "Europe/Istanbul"),
    c("TT", "Trinidad & Tobago", "Port of Spain", "America", "10.6500", "-61.5167", "-04:00", "America/Port_of_Spain"),
    c("TV", "Tuvalu", "Funafuti", "Pacific", "-8.5167", "179.2167", "+12:00", "Pacific/Funafuti"),
    c("TW", "Taiwan", "Taipei", "Asia", "25.0500", "121.5000", "+08:00", "Asia/Taipei"),
    c("TZ", "Tanzania", "Dar es Salaam", "Africa", "-6.8000", "39.2833", "+03:00", "Africa/Dar_es_Salaam"),
    c("UA", "Ukraine", "Kyiv", "Europe", "50.4333", "30.5167", "+02:00", "Europe/Kyiv"),
    c("UG", "Uganda", "Kampala", "Africa", "0.3167", "32.4167", "+03:00", "Africa/Kampala"),
    c("UM", "US minor outlying islands", "Midway", "Pacific", "28.2167", "-177.3667", "-11:00", "Pacific/Midway"),
    c("US", "United States", "New York", "America", "40.7142", "-74.0064", "-05:00", "America/New_York"),
    c("UY", "Uruguay", "Montevideo", "America", "-34.9092", "-56.2125", "-03:00", "America/Montevideo"),
    c("UZ", "Uzbekistan", "Tashkent", "Asia", "41.3333", "69.3000", "+05:00", "Asia/Tashkent"),
    c("VA", "Vatican City", "Vatican", "Europe", "41.9022", "12.4531", "+01:00", "Europe/Vatican"),
    c("VC", "St Vincent", "St Vincent", "America", "13.1500", "-61.2333", "-04:00", "America/St_Vincent"),
    c("VE", "Venezuela", "Caracas", "America", "10.5000", "-66.9333", "-04:00", "America/Caracas"),
    c("VG", "Virgin Islands (UK)", "Tortola", "America", "18.4500", "-64.6167", "-04:00", "America/Tortola"),
    c("VI", "Virgin Islands (US)", "St Thomas", "America", "18.3500", "-64.9333", "-04:00", "America/St_Thomas"),
    c("VN", "Vietnam", "Ho Chi Minh", "Asia", "10.7500", "106.6667", "+07:00", "Asia/Ho_Chi_Minh"),
    c("VU", "Vanuatu", "Efate", "Pacific", "-17.6667", "168.4167", "+11:00", "Pacific/Efate"),
    c("WF", "Wallis & Futuna", "Wallis", "Pacific", "-13.3000", "-176.1667", "+12:00", "Pacific/Wallis"),
    c("WS", "Samoa (western)", "Apia", "Pacific", "-13.8333", "-171.7333", "+13:00", "Pacific/Apia"),
    c("YE", "Yemen", "Aden", "Asia", "12.7500", "45.2000", "+03:00", "Asia/Aden"),
    c("YT", "Mayotte", "Mayotte", "Indian", "-12.7833", "45.2333", "+03:00", "Indian/Mayotte"),
    c("ZA", "South Africa", "Johannesburg", "Africa", "-26.2500", "28.0000", "+02:00", "Africa/Johannesburg"),
    c("ZM", "Zambia", "Lusaka", "Africa", "-15.4167", "28.2833", "+02:00", "Africa/Lusaka"),
    c("ZW", "Zimbabwe", "Harare", "Africa", "-17.8333", "31.0500", "+02:00", "Africa/Harare"),
];

/// The countries whose code is in `codes` (all when `codes` is empty), case-insensitive.
pub fn countries(codes: &[String]) -> Vec<Country> {
    COUNTRIES
        .iter()
        .filter(|c| {
            codes.is_empty() || codes.iter().any(|k| k.eq_ignore_ascii_case(c.country_code))
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_complete_and_well_formed() {
        assert!(COUNTRIES.len() > 240);
        for w in COUNTRIES.windows(2) {
            assert!(w[0].country_code < w[1].country_code, "{:?}", w[1]);
        }
        for c in COUNTRIES {
            assert_eq!(c.country_code.len(), 2);
            let lat: f64 = c.latitude.parse().unwrap_or(999.0);
            let lon: f64 = c.longitude.parse().unwrap_or(999.0);
            assert!(lat.abs() <= 90.0 && lon.abs() <= 180.0, "{c:?}");
            assert!(
                c.time_zone.len() == 6 && c.time_zone_name.contains('/'),
                "{c:?}"
            );
        }
        let gb = countries(&["gb".into()]);
        assert_eq!(gb.len(), 1);
        assert_eq!((gb[0].country, gb[0].time_zone), ("Britain (UK)", "+00:00"));
    }
}

// The generator (Python 3.9+, reads the system tz database):
//
// import datetime, zoneinfo, re
// names = {}
// for line in open('/usr/share/zoneinfo/iso3166.tab'):
//     if line.startswith('#') or not line.strip(): continue
//     code, name = line.rstrip('\n').split('\t')[:2]
//     names[code] = name
// zones = {}
// for line in open('/usr/share/zoneinfo/zone.tab'):
//     if line.startswith('#') or not line.strip(): continue
//     parts = line.rstrip('\n').split('\t')
//     zones.setdefault(parts[0], (parts[1], parts[2]))
// PRINCIPAL = {'AU': 'Australia/Sydney', 'BR': 'America/Sao_Paulo', 'CA': 'America/Toronto',
//              'RU': 'Europe/Moscow', 'UA': 'Europe/Kyiv', 'UZ': 'Asia/Tashkent',
//              'KZ': 'Asia/Almaty', 'PS': 'Asia/Hebron', 'FM': 'Pacific/Pohnpei'}
// for line in open('/usr/share/zoneinfo/zone.tab'):
//     parts = line.rstrip('\n').split('\t')
//     if len(parts) >= 3 and PRINCIPAL.get(parts[0]) == parts[2]:
//         zones[parts[0]] = (parts[1], parts[2])
// def dec(s, n):
//     sign = -1 if s[0] == '-' else 1
//     d, m, sec = int(s[1:1+n]), int(s[1+n:3+n]), int(s[3+n:5+n] or 0)
//     return f"{sign * (d + m/60 + sec/3600):.4f}"
// def offset(tz):
//     t = datetime.datetime(2025, 1, 15, 12, tzinfo=zoneinfo.ZoneInfo(tz))
//     mins = int((t.utcoffset() - (t.dst() or datetime.timedelta(0))).total_seconds() // 60)
//     return f"{'+' if mins >= 0 else '-'}{abs(mins)//60:02d}:{abs(mins)%60:02d}"
// for code in sorted(names):
//     if code not in zones: continue
//     coord, tz = zones[code]
//     la, lo = re.match(r'([+-]\d+)([+-]\d+)$', coord).groups()
//     print(f'    c("{code}", "{names[code]}", "{tz.split("/")[-1].replace("_", " ")}", '
//           f'"{tz.split("/")[0]}", "{dec(la, 2)}", "{dec(lo, 3)}", "{offset(tz)}", "{tz}"),')
